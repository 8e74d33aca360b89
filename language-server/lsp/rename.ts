/**
 * Rename of shapes, models, the plan, workloads and host names. Langium's default provider
 * renames the declaration and every reference across the workspace's files (references reach
 * into the files that import the declaring file); this one first refuses a new name that is not a
 * dcplan name (`NAME` of names.ts: a letter of any script or `_`, then letters, digits, `_`, `-`;
 * not a keyword), so a rename never breaks the file, and
 * one that another declaration of the kind already has where the renamed one is seen (rename-clash.ts).
 * A position with no name to rename (a keyword, a number, a comment, a role, a ring) is refused at
 * `prepareRename` already, with what is there (rename-refusal.ts), and so is the rename itself
 * for a client that does not prepare.
 * A renamed shape or host is renamed in the lock files of the plans that see it too
 * (rename-lock.ts): the running placement keeps naming the same VMs and hosts.
 */
import {
    AstUtils,
    Cancellation,
    GrammarAST,
    interruptAndCheck,
    type LangiumDocument
} from 'langium';
import {
    DefaultReferencesProvider,
    DefaultRenameProvider,
    type LangiumServices
} from 'langium/lsp';
import {
    type CancellationToken,
    type Location,
    LSPErrorCodes,
    type Range,
    type ReferenceParams,
    ResponseError,
    type RenameParams,
    type TextDocumentPositionParams,
    type WorkspaceEdit
} from 'vscode-languageserver';
import { DcplanIndexManager } from '../overrides/linking.js';
import { renameClash } from './rename-clash.js';
import { renameRefusal } from './rename-refusal.js';
import { addLockRenameEdits } from './rename-lock.js';
import { NAME } from '../names.js';

/**
 * Readies the reference index for a request (rename, find references) where the request can be
 * cancelled: the descriptions still to make are made with a look at `cancelToken` between
 * documents. Rejects with `OperationCancelled` (answered as RequestCancelled) when cancelled.
 */
async function readyReferences(
    services: LangiumServices,
    cancelToken: CancellationToken = Cancellation.CancellationToken.None
): Promise<void> {
    const index = services.shared.workspace.IndexManager;
    if (index instanceof DcplanIndexManager) await index.describePending(cancelToken);
    else await interruptAndCheck(cancelToken);
}

/** Langium's find references, cancellable while the reference index is made (`readyReferences`). */
export class DcplanReferencesProvider extends DefaultReferencesProvider {
    constructor(private readonly services: LangiumServices) {
        super(services);
    }

    override async findReferences(
        document: LangiumDocument,
        params: ReferenceParams,
        cancelToken?: CancellationToken
    ): Promise<Location[]> {
        await readyReferences(this.services, cancelToken);
        return super.findReferences(document, params, cancelToken);
    }
}

/** The words of the grammar that cannot be names. */
export function dcplanKeywords(services: LangiumServices): Set<string> {
    const keywords = new Set<string>();
    for (const node of AstUtils.streamAllContents(services.Grammar)) {
        if (GrammarAST.isKeyword(node) && /^[A-Za-z_]/.test(node.value)) keywords.add(node.value);
    }
    // the value words that the grammar's Name rule also takes (`shape proxy { role = proxy … }`)
    const name = services.Grammar.rules.find(r => GrammarAST.isParserRule(r) && r.name === 'Name');
    if (name)
        for (const node of AstUtils.streamAllContents(name))
            if (GrammarAST.isKeyword(node)) keywords.delete(node.value);
    return keywords;
}

/** Default rename with a check of the new name. */
export class DcplanRenameProvider extends DefaultRenameProvider {
    private readonly keywords: Set<string>;

    constructor(private readonly dcplan: LangiumServices) {
        super(dcplan);
        this.keywords = dcplanKeywords(dcplan);
    }

    /**
     * The range of the name to rename at the position; where there is none, a `RequestFailed`
     * error that says what is there instead (the LSP's way to refuse a rename with a reason).
     */
    override prepareRename(
        document: LangiumDocument,
        params: TextDocumentPositionParams,
        _cancelToken?: CancellationToken
    ): Range | undefined {
        const range = this.renameNodeRange(document, params.position);
        if (range) return range;
        throw new ResponseError(
            LSPErrorCodes.RequestFailed,
            renameRefusal(this.dcplan, this.keywords, document, params.position)
        );
    }

    override async rename(
        document: LangiumDocument,
        params: RenameParams,
        cancelToken?: CancellationToken
    ): Promise<WorkspaceEdit | undefined> {
        // the reason prepareRename gives, for a client that renames without preparing
        this.prepareRename(document, params);
        if (!NAME.test(params.newName) || this.keywords.has(params.newName)) {
            throw new ResponseError(
                -32602,
                `'${params.newName}' is not a valid dcplan name (letters, digits, '_' and '-', not a keyword)`
            );
        }
        await readyReferences(this.dcplan, cancelToken);
        const clash = renameClash(this.dcplan, document, params.position, params.newName);
        if (clash) throw new ResponseError(-32602, clash);
        const edit = await super.rename(document, params, cancelToken);
        // a request cancelled meanwhile is answered as cancelled, not with edits
        await interruptAndCheck(cancelToken ?? Cancellation.CancellationToken.None);
        // the locks record shapes and hosts by name: they follow the rename (rename-lock.ts)
        return (
            edit && addLockRenameEdits(this.dcplan, document, params.position, params.newName, edit)
        );
    }
}
