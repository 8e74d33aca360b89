/**
 * The exports of the preview: a standalone SVG or HTML file of a plan report. Used by the
 * extension's "Save Preview as SVG/HTML" commands and by `dcplan place --format svg|html`.
 */
import type { PlanReport } from '../planner/report.js';
import type { ExactView } from '../protocol.js';
import { renderStandaloneHtml, renderSvg } from './render.js';

export type ExportFormat = 'svg' | 'html';

/** The report as a standalone file's text in the given format; `exact` adds the exact-placement badge. */
export function exportReport(
    report: PlanReport,
    format: ExportFormat,
    options: { stale?: boolean; exact?: ExactView } = {}
): string {
    return format === 'svg'
        ? renderSvg(report, { exact: options.exact }) + '\n'
        : renderStandaloneHtml(report, options);
}
