/**
 * Completion for `.dcplan` files: Langium's grammar-driven completion (keywords that can follow,
 * names in scope for cross-references) narrowed and enriched with what the language knows:
 *
 * - in a block, only the attributes not set yet (and for a shape, only those its role uses);
 * - values after `role =`, `platform =`, `mail_storage =`, `login_mode =`, `drain =`, `dovecot =`;
 * - shape names after `deploy N x` and in `runs = N x`, model names after `host … :`, with their
 *   figures as detail;
 * - size units after a number (`memory = 16 ▮` → MiB, GiB, TiB, GB, TB) and `cores` after a
 *   workload's count;
 * - snippets for a new shape, deployment and host at the top level; `plan` only in a file
 *   without a plan block;
 * - each label once per kind (`distinctItems`).
 *
 * Every item carries a `textEdit` whose range covers the typed prefix. It works on unfinished
 * text: the block and its attributes are found from the tokens, not from the (recovered) AST.
 */
import {
    type AstNodeDescription,
    GrammarAST,
    type LangiumDocument,
    type LangiumDocuments,
    type ReferenceInfo
} from 'langium';
import {
    type CompletionAcceptor,
    type CompletionContext,
    type CompletionValueItem,
    DefaultCompletionProvider,
    type LangiumServices,
    type NextFeature
} from 'langium/lsp';
import {
    type CancellationToken,
    type CompletionItem,
    CompletionItemKind,
    CompletionList,
    type CompletionParams,
    CompletionTriggerKind,
    InsertTextFormat,
    type MarkupContent,
    type Range
} from 'vscode-languageserver';
import { isHostModel, isShape, type PlanFile } from '../generated/ast.js';
import { resolveImports } from '../imports.js';
import { clampedPosition } from '../request-params.js';
import {
    ATTRIBUTE_VALUES,
    BLOCK_ATTRIBUTES,
    cursorContext,
    type CursorContext,
    SIZE_ATTRIBUTES,
    SIZE_UNITS
} from './vocabulary.js';

const md = (value: string): MarkupContent => ({ kind: 'markdown', value });

/** The completion trigger characters (`completionProvider.triggerCharacters`). */
export const COMPLETION_TRIGGERS: readonly string[] = ['=', ':', ' '];
/** The tokens after which a typed space opens completion: `x`, `=`, `:`, a number. */
const AFTER_SPACE = new Set(['x', '=', ':', 'NUMBER']);

/**
 * Whether `offset` is inside a line comment (`#` or `//` to the end of the line, the grammar's
 * SL_COMMENT) on its line: a `#` or `//` before it, outside a string and a block comment.
 */
export function inLineComment(text: string, offset: number): boolean {
    let k = offset;
    while (k > 0 && text[k - 1] !== '\n' && text[k - 1] !== '\r') k--;
    let inString = false;
    for (; k < offset; k++) {
        const c = text[k];
        if (inString) {
            if (c === '\\') k++;
            else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === '/' && text[k + 1] === '*') {
            // a block comment: skip it (the default provider offers nothing inside one)
            const end = text.indexOf('*/', k + 2);
            if (end < 0 || end + 2 > offset) return false;
            k = end + 1;
        } else if (c === '#' || (c === '/' && text[k + 1] === '/')) return true;
    }
    return false;
}

/**
 * `items` without the repeats of an item already there: the same label and kind (the first one
 * is kept, in list order). Langium's grammar-driven completion walks several parser contexts at
 * one cursor and removes only the repeats that also have the same `detail`; a keyword or a name
 * reached by two contexts with different details would be offered twice, and a client shows
 * each item it gets.
 */
export function distinctItems(items: readonly CompletionItem[]): CompletionItem[] {
    const seen = new Set<string>();
    return items.filter(item => {
        const key = `${item.kind ?? ''}\u0000${item.label}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
    });
}

/** dcplan's completion provider. */
export class DcplanCompletionProvider extends DefaultCompletionProvider {
    private lastCursor?: { text: string; offset: number; cursor: CursorContext };

    private readonly documents: LangiumDocuments;

    constructor(services: LangiumServices) {
        super(services);
        this.documents = services.shared.workspace.LangiumDocuments;
    }

    /**
     * Completion pops up as the user types `=` (values), `:` (models of a host) and a space after
     * `x` (shapes of `deploy N x`, `runs = N x`), `=`, `:` or a number (units, `cores`).
     */
    override readonly completionOptions = { triggerCharacters: [...COMPLETION_TRIGGERS] };

    override async getCompletion(
        document: LangiumDocument,
        params: CompletionParams,
        cancelToken?: CancellationToken
    ): Promise<CompletionList | undefined> {
        // a position the text does not have is refused or clamped: the items' ranges end there
        params = {
            ...params,
            position: clampedPosition(
                'textDocument/completion',
                document.textDocument,
                params.position
            )
        };
        const text = document.textDocument.getText();
        const offset = document.textDocument.offsetAt(params.position);
        // Inside a line comment (`# …`, `// …`) nothing is offered: it is the user's prose.
        if (inLineComment(text, offset)) return CompletionList.create([], false);
        const cursor = cursorContext(this.lexer, text, offset);
        // A space typed anywhere else (between words, in a comment) offers nothing.
        if (
            params.context?.triggerKind === CompletionTriggerKind.TriggerCharacter &&
            params.context.triggerCharacter === ' ' &&
            !AFTER_SPACE.has(cursor.tokens[cursor.previous]?.tokenType.name ?? '')
        )
            return CompletionList.create([], false);
        const range: Range = {
            start: document.textDocument.positionAt(cursor.prefixStart),
            end: params.position
        };
        const own = this.ownCompletion(text, offset, cursor, range);
        this.lastCursor = { text, offset, cursor };
        const list = own
            ? CompletionList.create(own, false)
            : await super.getCompletion(document, params, cancelToken);
        if (list && !own)
            list.items.sort(
                (a, b) =>
                    (a.sortText ?? '').localeCompare(b.sortText ?? '') ||
                    a.label.localeCompare(b.label)
            );
        if (list) list.items = distinctItems(list.items);
        // Right after `=` or `:` (as typed, the trigger): the item brings its space (`role = proxy`).
        if (list && offset > 0 && (text[offset - 1] === '=' || text[offset - 1] === ':')) {
            for (const item of list.items) {
                if (
                    item.textEdit &&
                    'range' in item.textEdit &&
                    !item.textEdit.newText.startsWith(' ')
                )
                    item.textEdit.newText = ' ' + item.textEdit.newText;
            }
        }
        return list;
    }

    /** The token-level cursor context of a completion context (cached per text and offset, safe across requests). */
    protected cursorOf(context: CompletionContext): CursorContext {
        const text = context.textDocument.getText();
        const last = this.lastCursor;
        if (last && last.text === text && last.offset === context.offset) return last.cursor;
        const cursor = cursorContext(this.lexer, text, context.offset);
        this.lastCursor = { text, offset: context.offset, cursor };
        return cursor;
    }

    /**
     * Completions that do not come from the grammar: units after a size number, `cores` after a
     * workload count, `dovecot` versions (a string), enumeration values. `undefined` lets the
     * grammar-driven completion run.
     */
    protected ownCompletion(
        text: string,
        offset: number,
        cursor: CursorContext,
        range: Range
    ): CompletionItem[] | undefined {
        const { tokens, previous, prefix } = cursor;
        const tok = (i: number) => tokens[i]?.tokenType.name;
        const prev = tok(previous);
        // A number just before the cursor: units (size attributes, a demand's memory) or `cores`.
        if (prev === 'NUMBER' && (tokens[previous].endOffset ?? 0) + 1 <= cursor.prefixStart) {
            const beforeNumber = tok(previous - 1);
            const key = tokens[previous - 2]?.image;
            const isSize =
                (beforeNumber === '=' && key !== undefined && SIZE_ATTRIBUTES.has(key)) ||
                (beforeNumber === ',' && tok(previous - 2) === 'cores');
            const gap = text.slice((tokens[previous].endOffset ?? 0) + 1, cursor.prefixStart);
            const lead = gap.length === 0 && prefix === '' ? ' ' : '';
            if (isSize) {
                return SIZE_UNITS.filter(([u]) =>
                    u.toLowerCase().startsWith(prefix.toLowerCase())
                ).map(([unit, doc], i) => ({
                    label: unit,
                    kind: CompletionItemKind.Unit,
                    detail: doc,
                    sortText: String(i),
                    textEdit: { range, newText: lead + unit }
                }));
            }
            if (
                beforeNumber === '=' &&
                cursor.block === 'workload' &&
                ['proxy', 'director', 'backend'].includes(key ?? '')
            ) {
                return 'cores'.startsWith(prefix)
                    ? [
                          {
                              label: 'cores',
                              kind: CompletionItemKind.Unit,
                              detail: `${key} demand in cores`,
                              textEdit: { range, newText: lead + 'cores' }
                          }
                      ]
                    : [];
            }
        }
        // `dovecot = "…`: a string, possibly unterminated, so it is found in the text.
        const dovecot = /\bdovecot[ \t]*=[ \t]*("[^"\r\n]*)?$/.exec(text.slice(0, offset));
        if (dovecot && cursor.block === 'plan') {
            const typed = dovecot[1] ?? '';
            const r: Range = {
                start: this.positionAt(text, offset - typed.length),
                end: range.end
            };
            return Object.entries(ATTRIBUTE_VALUES.dovecot)
                .filter(([v]) => v.startsWith(typed))
                .map(([value, doc], i) => ({
                    label: value,
                    kind: CompletionItemKind.EnumMember,
                    documentation: md(doc),
                    sortText: String(i),
                    textEdit: { range: r, newText: value }
                }));
        }
        // A value after `key =` of an enumeration.
        if (prev === '=' && cursor.block) {
            const key = tokens[previous - 1]?.image;
            const values = key && key !== 'dovecot' ? ATTRIBUTE_VALUES[key] : undefined;
            if (values) {
                return Object.entries(values)
                    .filter(([v]) => v.startsWith(prefix))
                    .map(([value, doc], i) => ({
                        label: value,
                        kind: CompletionItemKind.EnumMember,
                        documentation: md(doc),
                        sortText: String(i),
                        textEdit: { range, newText: value }
                    }));
            }
        }
        return undefined;
    }

    protected override completionFor(
        context: CompletionContext,
        next: NextFeature,
        acceptor: CompletionAcceptor
    ) {
        if (GrammarAST.isKeyword(next.feature) || GrammarAST.isCrossReference(next.feature)) {
            return super.completionFor(context, next, acceptor);
        }
        return undefined;
    }

    protected override completionForKeyword(
        context: CompletionContext,
        keyword: GrammarAST.Keyword,
        acceptor: CompletionAcceptor
    ) {
        if (!this.filterKeyword(context, keyword)) return;
        const cursor = this.cursorOf(context);
        const value = keyword.value;
        const block = cursor.block;
        const prevName = cursor ? cursor.tokens[cursor.previous]?.tokenType.name : undefined;
        if (block && prevName !== '=' && BLOCK_ATTRIBUTES[block]?.[value] !== undefined) {
            // An attribute name: only when not set yet, and only those the shape's role uses.
            if (cursor.setAttributes.has(value)) return;
            if (block === 'shape' && !this.attributeFitsRole(cursor, value)) return;
            const names = Object.keys(BLOCK_ATTRIBUTES[block]);
            acceptor(context, {
                label: value,
                kind: CompletionItemKind.Property,
                detail: `${block} attribute`,
                documentation: md(BLOCK_ATTRIBUTES[block][value]),
                sortText: '1' + String(names.indexOf(value)).padStart(2, '0')
            });
            return;
        }
        if (prevName === '=') {
            const key = cursor.tokens[cursor.previous - 1]?.image;
            const doc = key ? ATTRIBUTE_VALUES[key]?.[value] : undefined;
            if (doc !== undefined) {
                acceptor(context, {
                    label: value,
                    kind: CompletionItemKind.EnumMember,
                    documentation: md(doc),
                    sortText: '0'
                });
                return;
            }
        }
        if (
            [
                'proxy',
                'director',
                'backend',
                'virtual',
                'physical',
                'block',
                'object',
                'performance',
                'security'
            ].includes(value)
        ) {
            // Enumeration words where no value is expected by the cursor context (an ID would fit).
            return;
        }
        // At most one `plan` block per file (spec, "Elements"): not offered again at the top level
        // of a file that has one (the `plan` being typed over is not that one).
        if (
            value === 'plan' &&
            !block &&
            cursor.tokens.some(
                t => t.tokenType.name === 'plan' && t.startOffset !== cursor.prefixStart
            )
        )
            return;
        super.completionForKeyword(context, keyword, acceptor);
        if (!block && ['shape', 'deploy', 'host'].includes(value)) {
            const snippet = this.snippet(context, value);
            if (snippet) acceptor(context, snippet);
        }
    }

    private positionAt(text: string, offset: number) {
        const lines = text.slice(0, offset).split(/\r\n|\r|\n/);
        return { line: lines.length - 1, character: lines[lines.length - 1].length };
    }

    private attributeFitsRole(cursor: CursorContext, attribute: string): boolean {
        const { tokens, open } = cursor;
        let role: string | undefined;
        for (let i = (open ?? 0) + 1; i + 2 < tokens.length; i++) {
            const name = tokens[i].tokenType.name;
            if (name === '}') break;
            if (tokens[i].image === 'role' && tokens[i + 1].tokenType.name === '=')
                role = tokens[i + 2].image;
        }
        if (role === 'backend')
            return attribute !== 'login_processes' && attribute !== 'login_mode';
        if (role === 'proxy' || role === 'director') return attribute !== 'local_disk';
        return true;
    }

    /** A snippet for a new element, with the shapes and models in scope as choices. */
    private snippet(context: CompletionContext, keyword: string): CompletionValueItem | undefined {
        const text = context.textDocument.getText();
        const eol = text.includes('\r\n') ? '\r\n' : '\n';
        const names = (type: 'Shape' | 'HostModel') => this.namesInScope(context.document, type);
        const choice = (n: number, list: string[], fallback: string) =>
            list.length > 0
                ? `\${${n}|${list.map(s => s.replace(/[|,$}\\]/g, '\\$&')).join(',')}|}`
                : `\${${n}:${fallback}}`;
        let body: string;
        let label: string;
        let doc: string;
        if (keyword === 'shape') {
            label = 'new shape';
            body =
                'shape ${1:proxy_1c} { role = ${2|proxy,director,backend|}  cores = ${3:1}  memory = ${4:2} GiB }';
            doc = 'A VM size for one role (one line, as the examples write them).';
        } else if (keyword === 'deploy') {
            label = 'new deployment';
            body = `deploy \${1:1} x ${choice(2, names('Shape'), 'shape')}`;
            doc = 'Deploys N instances of a shape.';
        } else {
            label = 'new host';
            const models = names('HostModel');
            body =
                models.length > 0
                    ? `host \${1:hv[01..04]} : ${choice(2, models, 'model')} {${eol}  hypervisor_cores  = \${3:2}${eol}  hypervisor_memory = \${4:16} GiB${eol}}`
                    : `host \${1:hv01} {${eol}  cores = \${2:24}${eol}  memory = \${3:384} GiB${eol}  hypervisor_cores  = \${4:2}${eol}  hypervisor_memory = \${5:16} GiB${eol}}`;
            doc = "A physical machine (or a range `hv[01..04]`), with the hypervisor's reserve.";
        }
        const typed = text.slice(context.tokenOffset, context.offset);
        if (!keyword.startsWith(typed)) return undefined;
        return {
            label,
            kind: CompletionItemKind.Snippet,
            detail: 'snippet',
            documentation: md(doc),
            filterText: keyword,
            insertTextFormat: InsertTextFormat.Snippet,
            sortText: '3' + keyword,
            textEdit: {
                range: {
                    start: context.textDocument.positionAt(context.tokenOffset),
                    end: context.position
                },
                newText: body
            }
        };
    }

    /** Names of the shapes or models declared in the document and the files it imports. */
    protected namesInScope(document: LangiumDocument, type: 'Shape' | 'HostModel'): string[] {
        const roots = [
            document.parseResult.value as PlanFile,
            ...resolveImports(document, this.documents).flatMap(i =>
                i.target ? [i.target.parseResult.value] : []
            )
        ];
        const out = new Set<string>();
        for (const root of roots) {
            for (const e of root.elements ?? []) {
                if ((isShape(e) && type === 'Shape') || (isHostModel(e) && type === 'HostModel')) {
                    if (e.name) out.add(e.name);
                }
            }
        }
        return [...out];
    }

    protected override createReferenceCompletionItem(
        nodeDescription: AstNodeDescription,
        refInfo: ReferenceInfo,
        context: CompletionContext
    ): CompletionValueItem {
        const item = super.createReferenceCompletionItem(nodeDescription, refInfo, context);
        const node = nodeDescription.node;
        let detail: string = nodeDescription.type;
        let kind: CompletionItemKind = CompletionItemKind.Reference;
        if (isShape(node)) {
            kind = CompletionItemKind.Struct;
            detail = [
                node.role,
                node.cores !== undefined
                    ? `${node.cores} ${node.cores === '1' ? 'core' : 'cores'}`
                    : undefined,
                node.memory
            ]
                .filter(Boolean)
                .join(' · ');
        } else if (isHostModel(node)) {
            kind = CompletionItemKind.Interface;
            detail =
                [
                    node.cores !== undefined ? `${node.cores} cores` : undefined,
                    node.threadsPerCore && node.threadsPerCore !== '1'
                        ? `${node.threadsPerCore} threads/core`
                        : undefined,
                    node.memory
                ]
                    .filter(Boolean)
                    .join(' · ') || 'model';
        }
        const here = context.document.uri.toString();
        if (nodeDescription.documentUri.toString() !== here)
            detail += ` (${nodeDescription.documentUri.path.split('/').at(-1)})`;
        return { ...item, kind, detail };
    }
}
