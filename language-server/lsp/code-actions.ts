/**
 * Code actions (spec, "Quick-fixes"): every quick-fix of a diagnostic in the request's context
 * as a `quickfix` action (the page's choice `isPreferred`), and "fix all" as a
 * `source.fixAll.dcplan` action (plain `source.fixAll` when a request asks for that kind only, for
 * clients that match kinds exactly). The edits come from the pure engine of `../fixes/`; fix-all
 * runs its rounds in the sandbox of `../fixes/fix-all.ts`, so the editor's workspace is not touched
 * until the client applies the edit.
 */
import { type LangiumDocument, type LangiumDocuments, URI } from 'langium';
import type { CodeActionProvider } from 'langium/lsp';
import {
    CodeActionKind,
    CodeActionTriggerKind,
    type CodeAction,
    type CodeActionParams,
    type Command,
    type TextEdit
} from 'vscode-languageserver';
import type { FileSystemProvider } from 'langium';
import type { DcplanServices } from '../dcplan-module.js';
import type { PlanFile } from '../generated/ast.js';
import { shapesUsedByImporters } from '../imports.js';
import {
    applyChanges,
    fixesForDiagnostic,
    type FixContext,
    type TextChange
} from '../fixes/index.js';

/** The code action kind of dcplan's fix-all (`editor.codeActionsOnSave: { "source.fixAll": … }` picks it up). */
export const FIX_ALL_KIND = 'source.fixAll.dcplan';

/**
 * The kind fix-all answers a request with: `source.fixAll.dcplan`, or the plain
 * `source.fixAll` when the request asks for that kind and not dcplan's own. VS Code matches
 * kinds hierarchically, but Emacs eglot and Helix keep only actions whose kind equals one asked
 * for, and would drop `source.fixAll.dcplan` from a `source.fixAll` request.
 */
export function fixAllKind(only: readonly string[] | undefined): string {
    return only !== undefined &&
        !only.includes(FIX_ALL_KIND) &&
        only.includes(CodeActionKind.SourceFixAll)
        ? CodeActionKind.SourceFixAll
        : FIX_ALL_KIND;
}

/** True when an action of `kind` is wanted by a request that asks `only` these kinds. */
export function kindWanted(kind: string, only: readonly string[] | undefined): boolean {
    return !only || only.some(k => kind === k || kind.startsWith(k + '.'));
}

/** Code actions of `.dcplan` documents: quick-fixes and fix-all. */
export class DcplanCodeActionProvider implements CodeActionProvider {
    private readonly services: DcplanServices;
    private readonly documents: LangiumDocuments;
    private readonly fileSystem: FileSystemProvider;

    constructor(services: DcplanServices) {
        this.services = services;
        this.documents = services.shared.workspace.LangiumDocuments;
        this.fileSystem = services.shared.workspace.FileSystemProvider;
    }

    async getCodeActions(
        document: LangiumDocument,
        params: CodeActionParams
    ): Promise<Array<Command | CodeAction>> {
        const doc = document as LangiumDocument<PlanFile>;
        const only = params.context.only;
        const out: CodeAction[] = [];
        const ctx: FixContext = {
            document: doc,
            analysis: this.services.analysis.PlanAnalyzer.analyze(doc),
            ...this.elsewhere(doc)
        };
        if (kindWanted(CodeActionKind.QuickFix, only)) {
            // An action whose result would not parse is not offered (the text would be broken
            // rather than fixed); each result is parsed once, only for the fixes asked about.
            const text = doc.textDocument.getText();
            const parser = this.services.parser.LangiumParser;
            const parses = (changes: readonly TextChange[]) => {
                try {
                    const r = parser.parse(applyChanges(text, changes));
                    return r.lexerErrors.length === 0 && r.parserErrors.length === 0;
                } catch {
                    return false;
                }
            };
            // One action for the same fix offered by several diagnostics (proxy-split and login-idle-cores).
            const byEdit = new Map<string, CodeAction>();
            for (const diagnostic of params.context.diagnostics) {
                for (const fix of fixesForDiagnostic(ctx, diagnostic)) {
                    const key = fix.title + '\u0000' + JSON.stringify(fix.changes);
                    const same = byEdit.get(key);
                    if (same) {
                        same.diagnostics!.push(diagnostic);
                        if (fix.preferred) same.isPreferred = true;
                        continue;
                    }
                    if (!parses(fix.changes)) continue;
                    const action: CodeAction = {
                        title: fix.title,
                        kind: CodeActionKind.QuickFix,
                        diagnostics: [diagnostic],
                        isPreferred: fix.preferred || undefined,
                        edit: {
                            changes: { [doc.uri.toString()]: this.toTextEdits(doc, fix.changes) }
                        }
                    };
                    byEdit.set(key, action);
                    out.push(action);
                }
            }
        }
        // Fix-all runs rounds of checks: offered when asked for (on save, Source Action…), or
        // when the user opens the menu by hand, not on every cursor move.
        const asked =
            only !== undefined &&
            only.some(k => FIX_ALL_KIND === k || FIX_ALL_KIND.startsWith(k + '.'));
        if (
            asked ||
            (only === undefined && params.context.triggerKind === CodeActionTriggerKind.Invoked)
        ) {
            const fixAll = await this.fixAllAction(doc, fixAllKind(only));
            if (fixAll) out.push(fixAll);
        }
        return out;
    }

    /** The fix-all action of a document (of `kind`, see `fixAllKind`), or `undefined` when nothing is to fix. */
    async fixAllAction(
        document: LangiumDocument<PlanFile>,
        kind = FIX_ALL_KIND
    ): Promise<CodeAction | undefined> {
        const text = document.textDocument.getText();
        const result = await this.services.fixes.Sandbox.fixAll(
            document.uri.toString(),
            text,
            uri => this.read(uri),
            {
                ...this.elsewhere(document)
            }
        );
        if (!result.changed) return undefined;
        return {
            title: `Fix all dcplan issues (${result.applied.length} ${result.applied.length === 1 ? 'fix' : 'fixes'})`,
            kind,
            edit: {
                changes: { [document.uri.toString()]: [minimalEdit(document, text, result.text)] }
            }
        };
    }

    private toTextEdits(document: LangiumDocument, changes: readonly TextChange[]): TextEdit[] {
        const t = document.textDocument;
        return changes.map(c => ({
            range: { start: t.positionAt(c.start), end: t.positionAt(c.end) },
            newText: c.newText
        }));
    }

    /** An imported file's text: the open buffer, else the file. */
    private async read(uri: URI): Promise<string | undefined> {
        const doc = this.documents.hasDocument(uri) ? this.documents.getDocument(uri) : undefined;
        if (doc) return doc.textDocument.getText();
        try {
            return await this.fileSystem.readFile(uri);
        } catch {
            return undefined;
        }
    }

    /**
     * `usedElsewhere` and `pinnedElsewhere` of the fixes of `document`: the shapes the other
     * workspace files that import it deploy or pin, found once, when a fix first asks.
     */
    private elsewhere(
        document: LangiumDocument
    ): Pick<FixContext, 'usedElsewhere' | 'pinnedElsewhere'> {
        let found: ReturnType<typeof shapesUsedByImporters> | undefined;
        const shapes = () =>
            (found ??= shapesUsedByImporters(
                document.uri,
                this.documents.all
                    .filter(d => d !== document)
                    .map(d => ({ uri: d.uri, root: d.parseResult.value as PlanFile }))
            ));
        return {
            usedElsewhere: name => shapes().used.has(name),
            pinnedElsewhere: name => shapes().pinned.has(name)
        };
    }
}

/** One edit that turns `before` into `after`: the differing middle, the common prefix and suffix kept. */
function minimalEdit(document: LangiumDocument, before: string, after: string): TextEdit {
    let p = 0;
    while (p < before.length && p < after.length && before[p] === after[p]) p++;
    let s = 0;
    while (
        s < before.length - p &&
        s < after.length - p &&
        before[before.length - 1 - s] === after[after.length - 1 - s]
    )
        s++;
    // Never cut a CRLF pair.
    if (p > 0 && before[p - 1] === '\r') p--;
    if (
        s > 0 &&
        before[before.length - s] === '\n' &&
        before[before.length - s - 1] === '\r' &&
        before.length - s - 1 >= p
    )
        s--;
    const t = document.textDocument;
    return {
        range: { start: t.positionAt(p), end: t.positionAt(before.length - s) },
        newText: after.slice(p, after.length - s)
    };
}
