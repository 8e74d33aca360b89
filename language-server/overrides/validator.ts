/**
 * Langium's validation registry and document validator, overridden for speed (one synchronous
 * walk, checks without promise chains) and for the spec's stable codes on Langium's own
 * diagnostics (see `README.md`).
 */
import {
    AstUtils,
    Cancellation,
    DefaultDocumentValidator,
    DocumentValidator,
    GrammarAST,
    interruptAndCheck,
    isOperationCancelled,
    type AstNode,
    type LangiumDocument,
    type ParseResult,
    type ValidationAcceptor,
    type ValidationCheck,
    type ValidationOptions,
    ValidationRegistry
} from 'langium';
import type { IRecognitionException, IToken } from 'chevrotain';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { LangiumServices } from 'langium/lsp';
import { IssueCodes } from '../../src/planner/findings.js';
import {
    MAX_DIAGNOSTICS,
    MAX_SYNTAX_ERRORS,
    moreDiagnostics,
    moreSyntaxErrors,
    rewriteLexerMessage,
    rewriteParserMessage,
    UNCLOSED_BLOCK,
    unclosedBlock
} from '../syntax-messages.js';
import { describeError, internalErrorDiagnostic, logInternalError } from './containment.js';
import { INTERRUPT_EVERY } from './linking.js';
import { flattenAst } from './ast-walk.js';

/**
 * Langium's validation registry with a synchronous wrapper around each check: Langium wraps
 * every check in two async functions (a promise chain per check call, per node), which was a
 * visible share of validating thousands of host blocks. An exception thrown by a check is
 * contained: logged with its stack (containment.ts) and reported as an `internal-error` on the
 * node (the document builder keeps the first per document); a cancellation is rethrown, and a
 * check that returns a promise gets the same handling when it settles.
 */
export class DcplanValidationRegistry extends ValidationRegistry {
    protected override wrapValidationException(
        check: ValidationCheck,
        thisObj: unknown
    ): ValidationCheck {
        const fail = (err: unknown, accept: ValidationAcceptor, node: AstNode): void => {
            if (isOperationCancelled(err)) throw err;
            logInternalError(
                `checking a ${node.$type} of ${AstUtils.findRootNode(node).$document?.uri.toString() ?? 'a document'}`,
                err
            );
            const message = internalErrorDiagnostic(
                `in the check of a ${node.$type} (${describeError(err)})`
            ).message;
            accept('error', message, {
                node,
                code: IssueCodes.InternalError,
                data: { code: IssueCodes.InternalError }
            } as never);
        };
        return (node, accept, cancelToken) => {
            try {
                const result = check.call(thisObj, node, accept, cancelToken) as unknown;
                if (result instanceof Promise) return result.catch(err => fail(err, accept, node));
            } catch (err) {
                fail(err, accept, node);
            }
            return undefined;
        };
    }
}

/**
 * The parser's errors without the echoes of its recovery. A reserved word written where a name or
 * a count belongs (`plan plan {`, `deploy deploy`, `rack = cores`) is one error; the parser then
 * re-reads that word as the start of an element or an attribute, and fails again on the very next
 * token (the `{`, the `}`, the end of the file). That second error is the recovery's, not the
 * text's, and is left out: the one right after a reserved word that was itself the error, with
 * only blanks between.
 */
export function withoutRecoveryEchoes(
    errors: readonly IRecognitionException[],
    root: AstNode
): IRecognitionException[] {
    const text = root.$document?.textDocument.getText() ?? root.$cstNode?.root.fullText ?? '';
    const out: IRecognitionException[] = [];
    let previous: IRecognitionException | undefined;
    for (const e of errors) {
        const before = previous?.token;
        // the end of the file is a token without an offset
        const at = isNaN(e.token.startOffset) ? text.length : e.token.startOffset;
        const echo =
            before !== undefined &&
            before.tokenType.name !== 'ID' &&
            /^[A-Za-z_]/.test(before.image) &&
            /\[(ID|NUMBER)\]|token of type '(ID|NUMBER)'/.test(previous!.message) &&
            !isNaN(before.endOffset!) &&
            at > before.endOffset! &&
            /^\s*$/.test(text.slice(before.endOffset! + 1, at));
        if (!echo) out.push(e);
        previous = e;
    }
    return out;
}

/**
 * The parser's errors without those at the token right after a character the lexer could not
 * read. A stray character inside a word (`shape a→b {`, a zero-width space in `hv01`) splits it
 * in two, and the parser then fails on the second half (`unexpected 'b': expected '{'`): one
 * mistake, already said by the lexer's error at the character.
 */
function withoutStrayEchoes(
    errors: readonly IRecognitionException[],
    lexerErrors: readonly { offset: number; length: number }[]
): IRecognitionException[] {
    if (lexerErrors.length === 0) return [...errors];
    const strayEnds = new Set(lexerErrors.map(e => e.offset + e.length));
    return errors.filter(e => !strayEnds.has(e.token.startOffset));
}

/**
 * Langium's document validator, with the stable codes of the spec on its own diagnostics:
 * `syntax-error` for lexing and parsing errors, `unresolved-name` for linking errors.
 */
export class DcplanDocumentValidator extends DefaultDocumentValidator {
    private readonly keywords: ReadonlySet<string>;

    constructor(services: LangiumServices) {
        super(services);
        this.keywords = new Set(
            AstUtils.streamAllContents(services.Grammar)
                .filter(GrammarAST.isKeyword)
                .map(k => k.value)
                .toArray()
        );
    }

    /**
     * Langium's walk over every AST node (the shared flat list of `flattenAst`, same order), without
     * two awaits per node: our checks are synchronous, so a node's checks run in one go (a check
     * that returns a promise is still awaited) and the cancellation token is looked at every
     * INTERRUPT_EVERY + 1 nodes (`interruptAndCheck` also yields to the event loop when the
     * period has passed). Same nodes, same order, same checks as the default.
     */
    protected override async validateAstNodes(
        rootNode: AstNode,
        options: ValidationOptions,
        acceptor: ValidationAcceptor,
        cancelToken: Cancellation.CancellationToken = Cancellation.CancellationToken.None
    ): Promise<void> {
        const registry = this.validationRegistry;
        const { nodes, ends } = flattenAst(rootNode);
        // the checks of each node type, asked of the registry once per walk (it builds a stream per call)
        const checksOf = new Map<string, ValidationCheck[]>();
        let checked = 0;
        for (let k = 0; k < nodes.length;) {
            if ((checked++ & INTERRUPT_EVERY) === 0) await interruptAndCheck(cancelToken);
            const node = nodes[k];
            const nodeOptions = this.validateSingleNodeOptions(node, options);
            if (nodeOptions.validateNode) {
                let checks = checksOf.get(node.$type);
                if (!checks)
                    checksOf.set(
                        node.$type,
                        (checks = registry.getChecks(node.$type, options.categories).toArray())
                    );
                for (let c = 0; c < checks.length; c++) {
                    const pending = checks[c](node, acceptor, cancelToken) as unknown;
                    if (pending instanceof Promise) await pending;
                }
            }
            k = nodeOptions.validateChildren ? k + 1 : ends[k];
        }
    }

    /**
     * Langium's, with at most `MAX_DIAGNOSTICS` diagnostics and one "N more" after them, in the
     * order found (Langium spreads the list into one call).
     */
    protected override async validateAst(
        rootNode: AstNode,
        options: ValidationOptions,
        cancelToken?: Cancellation.CancellationToken
    ): Promise<Diagnostic[]> {
        const all = await super.validateAst(rootNode, options, cancelToken);
        if (all.length <= MAX_DIAGNOSTICS) return all;
        const kept = all.slice(0, MAX_DIAGNOSTICS);
        const next = all[MAX_DIAGNOSTICS];
        kept.push({
            severity: next.severity,
            range: next.range,
            message: moreDiagnostics(all.length - MAX_DIAGNOSTICS),
            code: IssueCodes.LimitExceeded,
            source: next.source,
            data: { code: IssueCodes.LimitExceeded }
        });
        return kept;
    }

    /** At most `MAX_SYNTAX_ERRORS` lexer errors (the cap is shared with the parser's). */
    protected override processLexingErrors(
        parseResult: ParseResult,
        diagnostics: Diagnostic[],
        options: ValidationOptions
    ): void {
        super.processLexingErrors(
            { ...parseResult, lexerErrors: parseResult.lexerErrors.slice(0, MAX_SYNTAX_ERRORS) },
            diagnostics,
            options
        );
    }

    /**
     * Parser errors up to `MAX_SYNTAX_ERRORS` with the lexer's, then one diagnostic "N more syntax
     * errors not shown" where the first one left out is (or at the last one shown).
     */
    protected override processParsingErrors(
        parseResult: ParseResult,
        diagnostics: Diagnostic[],
        options: ValidationOptions
    ): void {
        const room = Math.max(0, MAX_SYNTAX_ERRORS - parseResult.lexerErrors.length);
        const errors = withoutStrayEchoes(
            withoutRecoveryEchoes(parseResult.parserErrors, parseResult.value),
            parseResult.lexerErrors
        );
        // a block left open: said at its last token, not at the next element's keyword
        const shown = errors.slice(0, room).map(e => {
            const previous = (e as { previousToken?: IToken }).previousToken;
            const message =
                previous && !isNaN(previous.startOffset) && !isNaN(e.token.startOffset)
                    ? unclosedBlock(
                          e.message,
                          e.token.image,
                          e.token.startLine!,
                          e.token.startColumn!
                      )
                    : undefined;
            return message
                ? Object.assign(Object.create(e) as typeof e, { token: previous, message })
                : e;
        });
        super.processParsingErrors({ ...parseResult, parserErrors: shown }, diagnostics, options);
        const more = parseResult.lexerErrors.length + errors.length - MAX_SYNTAX_ERRORS;
        if (more <= 0) return;
        const lexed = parseResult.lexerErrors[MAX_SYNTAX_ERRORS];
        const first = errors[room]?.token;
        let range = diagnostics.at(-1)?.range ?? {
            start: { line: 0, character: 0 },
            end: { line: 0, character: 0 }
        };
        if (lexed && lexed.line !== undefined && lexed.column !== undefined) {
            range = {
                start: { line: lexed.line - 1, character: lexed.column - 1 },
                end: { line: lexed.line - 1, character: lexed.column - 1 + lexed.length }
            };
        } else if (first && !isNaN(first.startOffset)) {
            range = {
                start: { line: first.startLine! - 1, character: first.startColumn! - 1 },
                end: { line: first.endLine! - 1, character: first.endColumn! }
            };
        }
        diagnostics.push({
            severity: 1,
            range,
            message: moreSyntaxErrors(more),
            code: IssueCodes.SyntaxError,
            source: this.getSource(),
            data: { code: IssueCodes.SyntaxError }
        });
    }

    override async validateDocument(
        document: LangiumDocument,
        options?: ValidationOptions,
        cancelToken?: Cancellation.CancellationToken
    ): Promise<Diagnostic[]> {
        const text = document.textDocument.getText();
        // a binary file an editor opened (the CLI refuses it when it reads it): one error that
        // says so, not a hundred syntax errors about its bytes
        const nul = text.indexOf('\0');
        if (nul >= 0) {
            const at = document.textDocument.positionAt(nul);
            return [
                {
                    severity: 1,
                    range: { start: at, end: document.textDocument.positionAt(nul + 1) },
                    message: `contains a NUL byte at line ${at.line + 1}, column ${at.character + 1}: not a text file, so it is not checked as a plan`,
                    code: IssueCodes.SyntaxError,
                    source: this.getSource(),
                    data: { code: IssueCodes.SyntaxError }
                }
            ];
        }
        const diagnostics = await super.validateDocument(document, options, cancelToken);
        for (const d of diagnostics) {
            const code = (d.data as { code?: string } | undefined)?.code;
            if (code === DocumentValidator.LexingError) {
                d.code = IssueCodes.SyntaxError;
                const at = document.textDocument.offsetAt(d.range.start);
                d.message = rewriteLexerMessage(d.message, text.slice(at, at + 2));
                // a character outside the BMP (an emoji) reported by its high surrogate alone:
                // the range takes the whole character, not half of it
                const end = document.textDocument.offsetAt(d.range.end);
                if (end === at + 1 && (text.codePointAt(at) ?? 0) > 0xffff)
                    d.range = { ...d.range, end: document.textDocument.positionAt(at + 2) };
            } else if (code === DocumentValidator.ParsingError) {
                d.code = IssueCodes.SyntaxError;
                const start = document.textDocument.offsetAt(d.range.start);
                const end = document.textDocument.offsetAt(d.range.end);
                if (!d.message.startsWith(UNCLOSED_BLOCK))
                    d.message = rewriteParserMessage(
                        d.message,
                        text.slice(start, end),
                        this.keywords
                    );
            } else if (code === DocumentValidator.LinkingError) {
                d.code = IssueCodes.UnresolvedName;
                const ref = (d.data as { refText?: string; containerType?: string }).refText;
                const kind = /HostModel|model/.test(d.message) ? 'model' : 'shape';
                d.message = `unknown ${kind} '${ref}'`;
            }
        }
        return diagnostics;
    }
}
