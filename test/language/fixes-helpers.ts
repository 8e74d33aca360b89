/** Helpers of the quick-fix tests (`fixes*.test.ts`): the fixes a text offers, the text after one. */
import { Dcplan, open } from '../lsp/helpers.js';
import { applyChanges, fixesForDocument, type Fix } from '../../language-server/fixes/index.js';

/** Every fix offered for the text (optionally of one code), in diagnostic order. */
export async function fixesOf(text: string, code?: string, uri?: string): Promise<Fix[]> {
    const document = await open(text, uri);
    const analysis = Dcplan.analysis.PlanAnalyzer.analyze(document);
    return fixesForDocument({ document, analysis }).filter(f => !code || f.code === code);
}

/** The text after the fix titled `title` (or the only / first preferred fix of `code`). */
export async function fixed(
    text: string,
    code: string,
    title?: string,
    uri?: string
): Promise<string> {
    const fixes = await fixesOf(text, code, uri);
    const fix = title
        ? fixes.find(f => f.title === title)
        : (fixes.find(f => f.preferred) ?? fixes[0]);
    if (!fix)
        throw new Error(`no fix ${code} ${title ?? ''}: ${fixes.map(f => f.title).join(' | ')}`);
    return applyChanges(text, fix.changes);
}

/** Lines joined with LF, with a final line break. */
export const lines = (...l: string[]) => l.join('\n') + '\n';
/** The text with CRLF line breaks. */
export const crlf = (s: string) => s.replace(/\n/g, '\r\n');
