// Post-processing of the TextMate grammar that `langium generate` writes
// (syntaxes/dcplan.tmLanguage.json). Langium derives the line-comment rule from the SL_COMMENT
// terminal badly (it begins with the literal `//#`); this script derives the comment starts and
// the size units from the grammar's own terminals, and adds scopes for declarations, sizes and
// numbers. Idempotent: run by `npm run langium:generate` after `langium generate`.
import { readFileSync, writeFileSync } from 'node:fs';

const grammarPath = new URL('../language-server/dcplan.langium', import.meta.url);
const tmPath = new URL('../syntaxes/dcplan.tmLanguage.json', import.meta.url);
const grammar = readFileSync(grammarPath, 'utf8');
const tm = JSON.parse(readFileSync(tmPath, 'utf8'));

/** The regex source of a terminal: `terminal NAME: /…/;` (flags after the closing slash left out). */
function terminal(name) {
    const m = new RegExp(`terminal\\s+${name}\\s*:\\s*/(.*)/[a-z]*\\s*;`).exec(grammar);
    if (!m) throw new Error(`fix-textmate: terminal ${name} not found in the grammar`);
    return m[1];
}
/** The alternatives of the first group of a regex source: `(\/\/|#)…` → ['//', '#']. */
function firstGroupAlternatives(source) {
    const m = /^\((?:\?:)?((?:\\.|[^()\\])*)\)/.exec(source);
    if (!m) return undefined;
    return m[1].split('|').map(a => a.replace(/\\(.)/g, '$1'));
}
const escapeRe = s => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const sl = terminal('SL_COMMENT');
const starts = firstGroupAlternatives(sl) ?? [sl.replace(/\[.*$/, '').replace(/\\(.)/g, '$1')];
const units = firstGroupAlternatives(terminal('SIZE').replace(/^.*?\[ \\t\]\*/, ''));
if (!units || units.length === 0) throw new Error('fix-textmate: no units in the SIZE terminal');

const comments = tm.repository.comments.patterns.filter(p => p.name !== 'comment.line.dcplan');
comments.push({
    name: 'comment.line.dcplan',
    begin: `(?:${starts.map(escapeRe).join('|')})`,
    beginCaptures: { 0: { name: 'punctuation.definition.comment.dcplan' } },
    end: '$'
});
tm.repository.comments.patterns = comments;

// a name as the ID terminal reads it (`\p{L}`, `\p{M}`, `\p{N}` are Oniguruma classes too)
const id = terminal('ID');
/** A character of a name: no number or size starts or ends inside one (`hvü2`). */
const nameChar = '[\\p{L}\\p{M}\\p{N}_]';
tm.repository.declarations = {
    patterns: [
        {
            match: `\\b(plan|workload|shape|model)\\s+(${id})`,
            captures: {
                1: { name: 'keyword.control.dcplan' },
                2: { name: 'entity.name.type.dcplan' }
            }
        },
        {
            match: `\\b(host)\\s+(${id})`,
            captures: {
                1: { name: 'keyword.control.dcplan' },
                2: { name: 'entity.name.function.dcplan' }
            }
        }
    ]
};
tm.repository.sizes = {
    match: `(?<!${nameChar})(-?[0-9][0-9_]*(?:\\.[0-9][0-9_]*)?)[ \\t]*(${units.map(escapeRe).join('|')})(?!${nameChar})`,
    captures: { 1: { name: 'constant.numeric.dcplan' }, 2: { name: 'keyword.other.unit.dcplan' } }
};
tm.repository.numbers = {
    match: `(?<!${nameChar})-?[0-9][0-9_]*(?:\\.[0-9][0-9_]*)?(?:[kM](?!${nameChar}))?(?!${nameChar})`,
    name: 'constant.numeric.dcplan'
};
tm.repository.operators = { match: '=|\\.\\.|,|:', name: 'keyword.operator.dcplan' };

const own = new Set(['#declarations', '#sizes', '#numbers', '#operators']);
const rest = tm.patterns.filter(p => !own.has(p.include));
const commentsIdx = rest.findIndex(p => p.include === '#comments');
const head = rest.slice(0, commentsIdx + 1);
const tail = rest.slice(commentsIdx + 1);
// Strings before the declarations so that `"host x"` stays a string; sizes before numbers.
const strings = tail.filter(p => p.name?.startsWith('string.'));
const others = tail.filter(p => !p.name?.startsWith('string.'));
tm.patterns = [
    ...head,
    ...strings,
    { include: '#declarations' },
    ...others,
    { include: '#sizes' },
    { include: '#numbers' },
    { include: '#operators' }
];

writeFileSync(tmPath, JSON.stringify(tm, null, 2) + '\n');
console.log(`fix-textmate: line comments ${starts.join(' ')}; units ${units.join(' ')}`);
