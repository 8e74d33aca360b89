/**
 * Folding ranges of dcplan: every block of three lines or more (Langium's default), block
 * comments, and runs of three or more consecutive line comments (`//` or `#`), such as the
 * header comment of every example.
 */
import { type AstNode, type LangiumDocument } from 'langium';
import { DefaultFoldingRangeProvider, type FoldingRangeAcceptor } from 'langium/lsp';
import { FoldingRangeKind } from 'vscode-languageserver';
import { isPlanFile } from '../generated/ast.js';

/** Blocks and comments fold; the small nodes inside a block (demands, host names, pins) do not. */
export class DcplanFoldingRangeProvider extends DefaultFoldingRangeProvider {
    protected override collectFolding(
        document: LangiumDocument,
        acceptor: FoldingRangeAcceptor
    ): void {
        super.collectFolding(document, acceptor);
        const lines = document.textDocument.getText().split(/\r?\n|\r/);
        let start = -1;
        for (let i = 0; i <= lines.length; i++) {
            const isLineComment = i < lines.length && /^\s*(\/\/|#)/.test(lines[i]);
            if (isLineComment && start < 0) start = i;
            if (!isLineComment && start >= 0) {
                if (i - 1 - start >= 2)
                    acceptor({ startLine: start, endLine: i - 1, kind: FoldingRangeKind.Comment });
                start = -1;
            }
        }
    }

    protected override shouldProcessContent(node: AstNode): boolean {
        return isPlanFile(node);
    }
}
