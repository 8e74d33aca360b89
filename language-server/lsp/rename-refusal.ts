/**
 * Why a rename cannot start at a position, as `textDocument/prepareRename` answers it: the LSP
 * lets a server refuse there with an error whose message the client shows ("cannot rename
 * `shape`: it is a keyword …"), instead of the client's bare "The element can't be renamed" or a
 * rename that silently does nothing. What can be renamed is a declared name — a shape, model,
 * host, workload or the plan — or a use of one; the rest of the text is keywords, numbers,
 * strings, comments, the language's value words (roles, platforms, …) and names that declare
 * nothing (rings, racks), each refused with what it is.
 */
import { CstUtils, GrammarUtils, type LangiumDocument } from 'langium';
import type { LangiumServices } from 'langium/lsp';
import type { IToken } from 'chevrotain';
import type { Position } from 'vscode-languageserver';

/** What a refusal says can be renamed. */
const RENAMABLE =
    'only the name of a shape, model, host, workload or the plan (or a use of it) can be renamed';

/** The attribute a value word is written after, by the AST property it is assigned to. */
const VALUE_ATTRIBUTES: Readonly<Record<string, string>> = {
    platform: 'platform',
    mailStorage: 'mail_storage',
    loginMode: 'login_mode',
    drain: 'drain'
};

/** The kind of declaration a cross-reference property names. */
const REFERENCE_KINDS: Readonly<Record<string, string>> = { shape: 'shape', model: 'model' };

/**
 * The token under the cursor at `offset` (comments included): one that covers it, else one that
 * ends right before it (a cursor just after a word, as Langium's rename reads it).
 */
function tokenAt(tokens: readonly IToken[], offset: number): IToken | undefined {
    const end = (t: IToken) => (t.endOffset ?? t.startOffset) + 1;
    return (
        tokens.find(t => t.startOffset <= offset && offset < end(t)) ??
        tokens.find(t => end(t) === offset)
    );
}

/**
 * Why the text at `position` of `document` is not a name to rename: one sentence starting
 * "cannot rename", for the client to show. The caller asks only where Langium's rename finds no
 * declaration (`DefaultRenameProvider.renameNodeRange` gives no range).
 */
export function renameRefusal(
    services: LangiumServices,
    keywords: ReadonlySet<string>,
    document: LangiumDocument,
    position: Position
): string {
    const text = document.textDocument.getText();
    const offset = document.textDocument.offsetAt(position);
    const lexed = services.parser.Lexer.tokenize(text);
    const token = tokenAt(
        [...lexed.tokens, ...lexed.hidden].filter(t => t.tokenType.name !== 'WS'),
        offset
    );
    const type = token?.tokenType.name;
    const word = token?.image ?? '';
    if (!token || !/^[\p{L}_]/u.test(word)) {
        if (type === 'SL_COMMENT' || type === 'ML_COMMENT')
            return `cannot rename a comment: ${RENAMABLE}`;
        if (type === 'STRING') return `cannot rename a string: ${RENAMABLE}`;
        if (type === 'NUMBER' || type === 'SIZE')
            return `cannot rename \`${word}\`: it is a number, not a name; ${RENAMABLE}`;
        return `cannot rename here: there is no name at the cursor; ${RENAMABLE}`;
    }
    if (keywords.has(word)) return `cannot rename \`${word}\`: it is a keyword; ${RENAMABLE}`;
    // a name or a value word: what the grammar assigns it to says what it is
    const root = document.parseResult.value.$cstNode;
    const leaf = root && CstUtils.findLeafNodeAtOffset(root, token.startOffset);
    const node = leaf && leaf.offset === token.startOffset ? leaf.astNode : undefined;
    const property = leaf && node ? GrammarUtils.findAssignment(leaf)?.feature : undefined;
    if (property === 'role')
        return `cannot rename \`${word}\`: it is a role, a word of the language; ${RENAMABLE}`;
    if (property && VALUE_ATTRIBUTES[property])
        return `cannot rename \`${word}\`: it is a value of \`${VALUE_ATTRIBUTES[property]}\`, a word of the language; ${RENAMABLE}`;
    if (property === 'ring')
        return `cannot rename ring \`${word}\`: a ring is not declared, each \`deploy\` line of its directors names it; ${RENAMABLE}`;
    if (property === 'rack')
        return `cannot rename rack \`${word}\`: a rack is not declared, each host in it names it; ${RENAMABLE}`;
    if (property && REFERENCE_KINDS[property])
        return `cannot rename \`${word}\`: no ${REFERENCE_KINDS[property]} of that name is declared where it is used; ${RENAMABLE}`;
    return `cannot rename \`${word}\`: it declares nothing here; ${RENAMABLE}`;
}
