/**
 * The report within its size bound (2 MB, whatever the run): rendered with the default limits,
 * then with every limit halved until it fits. Limits at zero still leave the summary and cause,
 * which are small, so the loop ends well inside its tries.
 */

import { buildReportModel, DEFAULT_LIMITS, type ReportInput, type ReportLimits, type ReportModel } from './model.ts';

export const MAX_REPORT_BYTES = 2 * 1024 * 1024;
const MAX_TRIES = 12;
const ENCODER = new TextEncoder();

function scaled(limits: ReportLimits, factor: number): ReportLimits {
  return Object.fromEntries(Object.entries(limits).map(([key, value]) => [key, Math.floor(value * factor)])) as ReportLimits;
}

export function renderWithin(input: ReportInput, render: (model: ReportModel) => string, maxBytes = MAX_REPORT_BYTES): string {
  let text = '';
  for (let attempt = 0; attempt < MAX_TRIES; attempt += 1) {
    const limits = scaled(DEFAULT_LIMITS, 0.5 ** attempt);
    const model = buildReportModel(input, limits);
    if (attempt > 0)
      model.omissions.push(
        `the file was over ${maxBytes} bytes: every part was cut to ${(100 * 0.5 ** attempt).toFixed(1)} % of its usual length`,
      );
    text = render(model);
    if (ENCODER.encode(text).length <= maxBytes) return text;
  }
  // Unreachable with sane inputs (the summary alone is over the bound): cut the text itself.
  return text.slice(0, Math.floor(maxBytes / 4));
}
