/** A run's incident report as text, in either format, bounded (`vigil report`, the dashboard's download). */

import { renderWithin } from '../core/report/fit.ts';
import { renderHtml } from '../core/report/render-html.ts';
import { renderMarkdown } from '../core/report/render-markdown.ts';
import type { RunRecord, RunStore } from '../store/runs.ts';
import { gatherReportInput } from './gather.ts';

export type ReportFormat = 'html' | 'md';

export async function renderRunReport(
  store: RunStore,
  run: Omit<RunRecord, 'status'> & { status: string },
  format: ReportFormat,
  now: number,
): Promise<string> {
  return renderWithin(await gatherReportInput(store, run, now), format === 'md' ? renderMarkdown : renderHtml);
}
