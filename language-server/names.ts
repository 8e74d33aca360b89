/**
 * What a dcplan name is, for the code that reads text around the parser (the cursor's word, a
 * rename's new name, a syntax error's token): the grammar's `ID` terminal (dcplan.langium), a
 * letter of any script or `_`, then letters, combining marks, digits, `_` and `-`.
 */

/** A whole name (`hvü2`, `proxy_1c`, `bé`); keywords pass too (the caller tells them apart). */
export const NAME = /^[\p{L}_][\p{L}\p{M}\p{N}_-]*$/u;

/** The name that ends a text (the word being typed before the cursor). */
export const NAME_AT_END = /[\p{L}_][\p{L}\p{M}\p{N}_-]*$/u;
