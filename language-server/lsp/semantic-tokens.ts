/**
 * Semantic highlighting of the whole `.dcplan` text, for editors without the TextMate grammar
 * (Neovim, Helix) as much as for VS Code: names by kind — shapes (`type`), hardware models
 * (`class`), hosts (`variable`), roles and other enumeration values (`enumMember`), director rings
 * and racks (`namespace`), the plan (`struct`) and workloads (`event`), declarations with the
 * `declaration` modifier and references without it — and, from the lexer, the structural keywords
 * (`keyword`), attribute names before `=` (`property`), counts and sizes with their unit
 * (`number`), strings (`string`) and comments (`comment`). The legend lists exactly these types.
 */
import { type AstNode, AstUtils, GrammarAST, type LangiumDocument } from 'langium';
import {
    AbstractSemanticTokenProvider,
    type LangiumServices,
    type SemanticTokenAcceptor
} from 'langium/lsp';
import {
    type CancellationToken,
    SemanticTokenModifiers,
    SemanticTokenTypes
} from 'vscode-languageserver';
import {
    isDemand,
    isDeploy,
    isHost,
    isHostModel,
    isHostName,
    isPin,
    isPlan,
    isShape,
    isWorkload
} from '../generated/ast.js';

/** The token type used for each kind of name (exported for tests and documentation). */
export const DCPLAN_TOKEN_TYPES = {
    shape: SemanticTokenTypes.type,
    model: SemanticTokenTypes.class,
    host: SemanticTokenTypes.variable,
    role: SemanticTokenTypes.enumMember,
    value: SemanticTokenTypes.enumMember,
    ring: SemanticTokenTypes.namespace,
    rack: SemanticTokenTypes.namespace,
    plan: SemanticTokenTypes.struct,
    workload: SemanticTokenTypes.event
} as const;

/** The token types of the words that are not names. */
export const DCPLAN_LEXICAL_TOKEN_TYPES = {
    keyword: SemanticTokenTypes.keyword,
    attribute: SemanticTokenTypes.property,
    number: SemanticTokenTypes.number,
    string: SemanticTokenTypes.string,
    comment: SemanticTokenTypes.comment
} as const;

/** The legend's token types, in the order of their indices: only types the server sends. */
export const DCPLAN_TOKEN_LEGEND: readonly string[] = [
    ...new Set<string>([
        ...Object.values(DCPLAN_TOKEN_TYPES),
        ...Object.values(DCPLAN_LEXICAL_TOKEN_TYPES)
    ])
];
/** The legend's token modifiers. */
export const DCPLAN_TOKEN_MODIFIERS: readonly string[] = [SemanticTokenModifiers.declaration];

const DECL = SemanticTokenModifiers.declaration;

/** The keywords that the grammar's Name rule takes (`proxy`, `virtual`, …): names and values, never structure. */
function valueWords(services: LangiumServices): Set<string> {
    const words = new Set<string>();
    const name = services.Grammar.rules.find(r => GrammarAST.isParserRule(r) && r.name === 'Name');
    if (name)
        for (const node of AstUtils.streamAllContents(name))
            if (GrammarAST.isKeyword(node)) words.add(node.value);
    return words;
}
const indexOf = (list: readonly string[]) => Object.fromEntries(list.map((t, i) => [t, i]));

/** Highlights every token of a `.dcplan` file: names by what they name, the rest by lexical class. */
export class DcplanSemanticTokenProvider extends AbstractSemanticTokenProvider {
    private readonly services: LangiumServices;
    private readonly types = indexOf(DCPLAN_TOKEN_LEGEND);
    private readonly modifiers = Object.fromEntries(
        DCPLAN_TOKEN_MODIFIERS.map((m, i) => [m, 1 << i])
    );
    /** Keywords the grammar's Name rule takes: always a name or a value where they occur. */
    private readonly nameWords: ReadonlySet<string>;

    constructor(services: LangiumServices) {
        super(services);
        this.services = services;
        this.nameWords = valueWords(services);
    }

    override get tokenTypes(): Record<string, number> {
        return this.types;
    }

    override get tokenModifiers(): Record<string, number> {
        return this.modifiers;
    }

    protected override async computeHighlighting(
        document: LangiumDocument,
        acceptor: SemanticTokenAcceptor,
        cancelToken: CancellationToken
    ): Promise<void> {
        await super.computeHighlighting(document, acceptor, cancelToken);
        this.highlightLexical(document, acceptor);
    }

    /**
     * Keywords, attribute names, numbers, strings and comments, from the lexer (so that a text
     * with syntax errors is coloured all the same). A comment over several lines is one token a
     * line, for clients without multi-line tokens.
     */
    private highlightLexical(document: LangiumDocument, acceptor: SemanticTokenAcceptor): void {
        const L = DCPLAN_LEXICAL_TOKEN_TYPES;
        const text = document.textDocument.getText();
        const lexed = this.services.parser.Lexer.tokenize(text);
        const tokens = lexed.tokens;
        const at = (offset: number) => document.textDocument.positionAt(offset);
        const emit = (start: number, end: number, type: string) => {
            // one token a line: split at line ends (\n, \r\n, \r)
            const re = /\r\n|\r|\n/g;
            let from = start;
            const part = text.slice(start, end);
            for (let m = re.exec(part); m; m = re.exec(part)) {
                const lineEnd = start + m.index;
                if (lineEnd > from)
                    acceptor({ range: { start: at(from), end: at(lineEnd) }, type });
                from = start + m.index + m[0].length;
            }
            if (end > from) acceptor({ range: { start: at(from), end: at(end) }, type });
        };
        tokens.forEach((token, i) => {
            const name = token.tokenType.name;
            const end = token.endOffset! + 1;
            if (name === 'NUMBER' || name === 'SIZE') emit(token.startOffset, end, L.number);
            else if (name === 'STRING') emit(token.startOffset, end, L.string);
            else if (/^[A-Za-z_]/.test(name) && name === token.image && !this.nameWords.has(name)) {
                emit(
                    token.startOffset,
                    end,
                    tokens[i + 1]?.image === '=' ? L.attribute : L.keyword
                );
            }
        });
        for (const token of lexed.hidden) emit(token.startOffset, token.endOffset! + 1, L.comment);
    }

    protected override highlightElement(
        node: AstNode,
        acceptor: SemanticTokenAcceptor
    ): void | 'prune' {
        const T = DCPLAN_TOKEN_TYPES;
        if (isPlan(node)) {
            if (node.name) acceptor({ node, property: 'name', type: T.plan, modifier: DECL });
            if (node.platform) acceptor({ node, property: 'platform', type: T.value });
            if (node.mailStorage) acceptor({ node, property: 'mailStorage', type: T.value });
        } else if (isWorkload(node)) {
            if (node.name) acceptor({ node, property: 'name', type: T.workload, modifier: DECL });
        } else if (isDemand(node)) {
            if (node.role) acceptor({ node, property: 'role', type: T.role });
        } else if (isShape(node)) {
            if (node.name) acceptor({ node, property: 'name', type: T.shape, modifier: DECL });
            if (node.role) acceptor({ node, property: 'role', type: T.role });
            if (node.loginMode) acceptor({ node, property: 'loginMode', type: T.value });
        } else if (isDeploy(node)) {
            if (node.shape?.$refText) acceptor({ node, property: 'shape', type: T.shape });
            if (node.ring) acceptor({ node, property: 'ring', type: T.ring });
        } else if (isHostModel(node)) {
            if (node.name) acceptor({ node, property: 'name', type: T.model, modifier: DECL });
        } else if (isHost(node)) {
            if (node.model?.$refText) acceptor({ node, property: 'model', type: T.model });
            if (node.rack) acceptor({ node, property: 'rack', type: T.rack });
        } else if (isHostName(node)) {
            if (node.name) acceptor({ node, property: 'name', type: T.host, modifier: DECL });
        } else if (isPin(node)) {
            if (node.shape?.$refText) acceptor({ node, property: 'shape', type: T.shape });
        }
    }
}
