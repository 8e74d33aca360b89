/**
 * Rename of shapes, models, the plan, workloads and host names. Langium's default provider
 * renames the declaration and every reference across the workspace's files (references reach
 * into the files that import the declaring file); this one first refuses a new name that is not a
 * dcplan name (`[A-Za-z_][A-Za-z0-9_-]*`, not a keyword), so a rename never breaks the file.
 */
import { AstUtils, GrammarAST, type LangiumDocument } from 'langium';
import { DefaultRenameProvider, type LangiumServices } from 'langium/lsp';
import { type CancellationToken, ResponseError, type RenameParams, type WorkspaceEdit } from 'vscode-languageserver';

/** The words of the grammar that cannot be names. */
export function dcplanKeywords(services: LangiumServices): Set<string> {
    const keywords = new Set<string>();
    for (const node of AstUtils.streamAllContents(services.Grammar)) {
        if (GrammarAST.isKeyword(node) && /^[A-Za-z_]/.test(node.value)) keywords.add(node.value);
    }
    return keywords;
}

/** Default rename with a check of the new name. */
export class DcplanRenameProvider extends DefaultRenameProvider {
    private readonly keywords: Set<string>;

    constructor(services: LangiumServices) {
        super(services);
        this.keywords = dcplanKeywords(services);
    }

    override async rename(document: LangiumDocument, params: RenameParams, cancelToken?: CancellationToken): Promise<WorkspaceEdit | undefined> {
        if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(params.newName) || this.keywords.has(params.newName)) {
            throw new ResponseError(-32602, `'${params.newName}' is not a valid dcplan name (letters, digits, '_' and '-', not a keyword)`);
        }
        return super.rename(document, params, cancelToken);
    }
}
