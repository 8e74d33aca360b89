/**
 * Checks the params of dcplan's own requests (src/protocol.ts) before a handler reads them: a
 * client that sends a field missing or of another type gets the JSON-RPC `InvalidParams` error
 * (-32602) naming the request and the field (`dcplan/locate: name must be a string`), never an
 * internal error with a `TypeError` of the handler's code (docs/lsp.md). Completion's position is
 * checked here too (`clampedPosition`).
 */
import { ErrorCodes, ResponseError, type Position } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { timeLimitProblem } from '../src/protocol.js';

/** Why a field's value is refused, as the end of `<field> …`; undefined when it is accepted. */
export type FieldRule = (value: unknown) => string | undefined;

/** A URI string (Langium parses any non-empty string to some URI: an empty one names nothing). */
export const uriField: FieldRule = v =>
    typeof v === 'string' && v.length > 0 ? undefined : 'must be a URI (a non-empty string)';

/** Any string. */
export const stringField: FieldRule = v => (typeof v === 'string' ? undefined : 'must be a string');

/** One of `values`. */
export function oneOf(...values: readonly string[]): FieldRule {
    return v =>
        typeof v === 'string' && values.includes(v)
            ? undefined
            : `must be one of ${values.join(', ')}`;
}

/** A 1-based line number. */
export const lineField: FieldRule = v =>
    typeof v === 'number' && Number.isInteger(v) && v >= 1
        ? undefined
        : 'must be a 1-based line number (a whole number from 1)';

/** The exact solver's time limit, by the rule the CLI's `--time-limit` follows. */
export const timeLimitField: FieldRule = v => timeLimitProblem(v);

/** `rule`, or nothing (absent or `null`: the request's default). */
export function optional(rule: FieldRule): FieldRule {
    return v => (v === undefined || v === null ? undefined : rule(v));
}

/**
 * `params` as `T` when each field of `rules` accepts its value; otherwise throws the
 * `InvalidParams` error for the first refused field, `<method>: <field> <why>`.
 */
export function checkedParams<T>(
    method: string,
    params: unknown,
    rules: { readonly [K in keyof T]-?: FieldRule }
): T {
    if (typeof params !== 'object' || params === null || Array.isArray(params))
        throw new ResponseError(ErrorCodes.InvalidParams, `${method}: params must be an object`);
    for (const [field, rule] of Object.entries<FieldRule>(rules)) {
        const problem = rule((params as Record<string, unknown>)[field]);
        if (problem)
            throw new ResponseError(ErrorCodes.InvalidParams, `${method}: ${field} ${problem}`);
    }
    return params as T;
}

/**
 * An LSP `Position` of `document` for `method`: refused with `InvalidParams` unless it has a
 * `line` and a `character` that are whole numbers from 0 (`line: 1.5`, `-1`, `"3"`, `null`);
 * one past the end of its line or of the document is clamped to that end, as LSP asks of a
 * character past its line (so no edit built from it has a range outside the text).
 */
export function clampedPosition(
    method: string,
    document: TextDocument,
    position: unknown
): Position {
    const whole = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
    const p = position as Partial<Record<'line' | 'character', unknown>> | null | undefined;
    if (typeof p !== 'object' || p === null || !whole(p.line) || !whole(p.character))
        throw new ResponseError(
            ErrorCodes.InvalidParams,
            `${method}: position must have a line and a character, whole numbers from 0`
        );
    return document.positionAt(document.offsetAt(p as Position));
}
