/** The incident report of a run, as `vigil report RUN` writes it (HTML), for the page's download link. */

import { renderWithin } from '../core/report/fit.ts';
import { renderHtml } from '../core/report/render-html.ts';
import { gatherReportInput } from '../report/gather.ts';
import type { RunRecord, RunStore } from '../store/runs.ts';
import { observeRun } from '../supervisor/reconcile.ts';

export async function renderReport(store: RunStore, record: RunRecord): Promise<string> {
  const run = observeRun(store, record);
  return renderWithin(await gatherReportInput(store, { ...run, status: run.observedStatus }, Date.now()), renderHtml);
}
