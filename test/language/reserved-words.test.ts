/**
 * The reserved words of docs/dcplan-language.md ("Lexical") are the grammar's: every word keyword
 * that the `Name` rule does not accept, so the list cannot drift from dcplan.langium. The value
 * words the doc lists as names are the `Name` rule's keywords.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AstUtils, EmptyFileSystem, GrammarAST } from 'langium';
import { createDcplanServices } from '../../language-server/dcplan-module.js';

const grammar = createDcplanServices({ ...EmptyFileSystem }).Dcplan.Grammar;
const doc = fs.readFileSync(path.resolve(__dirname, '../../docs/dcplan-language.md'), 'utf8');

/** The word keywords (not punctuation) under `node`, sorted, without repeats. */
function words(node: GrammarAST.Grammar | GrammarAST.AbstractRule): string[] {
    const all = AstUtils.streamAllContents(node)
        .filter(GrammarAST.isKeyword)
        .map(k => k.value)
        .filter(v => /^[A-Za-z_]/.test(v))
        .toArray();
    return [...new Set(all)].sort();
}

/** The backquoted words of the doc's bullet that starts with `start`, in the doc's order. */
function listed(start: string): string[] {
    const at = doc.indexOf(start);
    expect(at, `"${start}" in the doc`).toBeGreaterThanOrEqual(0);
    // the bullet runs to the next bullet (a line starting "- ") or a blank line
    const rest = doc.slice(at);
    const end = rest.search(/\n(- |\n)/);
    const bullet = rest.slice(0, end < 0 ? undefined : end);
    return [...bullet.matchAll(/`([A-Za-z_]+)`/g)].map(m => m[1]);
}

describe('reserved words', () => {
    const nameRule = grammar.rules.find(r => r.name === 'Name')!;

    it('the doc lists exactly the word keywords that cannot be names, sorted', () => {
        const reserved = words(grammar).filter(w => !words(nameRule).includes(w));
        expect(listed('- Reserved words (keywords that cannot be names):')).toEqual(reserved);
        expect(reserved).toContain('x');
        expect(reserved).not.toContain('proxy');
    });

    it('the value words the doc allows as names are the Name rule keywords', () => {
        const m = /except the\s+value words\s+`([^`]+)`/.exec(doc);
        expect(m).not.toBeNull();
        expect(m![1].split(/\s+/).sort()).toEqual(words(nameRule));
    });
});
