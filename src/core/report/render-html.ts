/**
 * The report as one HTML file that opens anywhere without a network: inline CSS, the chart as
 * inline SVG, no script, no font, no image fetched. Every text from the run is escaped.
 */

import { lossChartSvg } from './chart.ts';
import { causeFacts, type ReportModel } from './model.ts';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] as string);
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f4f4f4}pre{background:#f6f8fa;padding:.6em;overflow-x:auto;font-size:12px;line-height:1.35;white-space:pre-wrap;word-break:break-all}
.cause{border-left:4px solid #d62728;padding:.2em 1em;background:#fff5f5}.note{color:#666;font-size:.9em}`;

const table = (rows: readonly { label: string; value: string }[]) =>
  `<table>${rows.map((row) => `<tr><th>${escapeHtml(row.label)}</th><td>${escapeHtml(row.value)}</td></tr>`).join('')}</table>`;

const pre = (lines: readonly string[]) => `<pre>${escapeHtml(lines.join('\n'))}</pre>`;

function causeSection(model: ReportModel): string {
  const cause = model.cause;
  if (!cause) return '<h2>Cause</h2><p>No failed attempt was diagnosed.</p>';
  return [
    '<h2>Cause</h2>',
    `<div class="cause"><p><strong>${escapeHtml(cause.summary)}</strong></p>${table(causeFacts(cause))}</div>`,
    cause.evidence.length ? `<h3>Evidence</h3>${pre(cause.evidence.map((e) => `${e.line}: ${e.text}`))}` : '',
    cause.fixes.length ? `<h3>What to do</h3><ul>${cause.fixes.map((fix) => `<li>${escapeHtml(fix)}</li>`).join('')}</ul>` : '',
  ].join('\n');
}

function attemptsSection(model: ReportModel): string {
  const head = ['attempt', 'started', 'duration', 'end', 'peak memory', 'stopped by', 'restart', 'cause'];
  const rows = model.attempts.map((a) =>
    [String(a.n), a.started, a.duration, a.end, a.peakMemory, a.stopReason ?? '', a.restart ?? '', a.cause ?? ''].map(
      (cell) => `<td>${escapeHtml(cell)}</td>`,
    ),
  );
  return `<h2>Attempts and resource peaks</h2><table><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr>${rows
    .map((cells) => `<tr>${cells.join('')}</tr>`)
    .join('')}</table>`;
}

function timelineSection(model: ReportModel): string {
  const rows = model.timeline.map(
    (entry) => `<tr><td>${escapeHtml(entry.at)}</td><td>${entry.attempt ?? ''}</td><td>${escapeHtml(entry.text)}</td></tr>`,
  );
  const omitted = model.timelineOmitted ? `<p class="note">${model.timelineOmitted} entries in the middle are left out.</p>` : '';
  return `<h2>Timeline</h2><table><tr><th>time</th><th>attempt</th><th>what happened</th></tr>${rows.join('')}</table>${omitted}`;
}

function chartSection(model: ReportModel): string {
  const svg = lossChartSvg(model.chart);
  const body = svg ?? '<p>No step with a loss was recorded.</p>';
  return `<h2>Loss by step</h2>${body}<p class="note">${escapeHtml(model.chartSource)}; a red tick marks a non-finite loss.</p>`;
}

function stacksSection(model: ReportModel): string {
  if (model.stacks.length === 0) return '';
  return `<h2>Stacks taken</h2>${model.stacks
    .map((s) => `<h3>attempt ${s.attempt}: ${escapeHtml(s.process)} (pid ${s.pid})</h3>${pre([s.text])}`)
    .join('\n')}`;
}

function logsSection(model: ReportModel): string {
  return `<h2>Last lines of the logs</h2>${model.logs
    .map(
      (log) =>
        `<h3>attempt ${log.attempt}: ${escapeHtml(log.path)} (${escapeHtml(log.size)})</h3>${log.omittedBefore ? '<p class="note">… earlier lines left out</p>' : ''}${pre(log.lines)}`,
    )
    .join('\n')}`;
}

function redactionSection(model: ReportModel): string {
  const said = model.redactions.length
    ? `<ul>${model.redactions.map((r) => `<li>${r.count} × ${escapeHtml(r.kind)}</li>`).join('')}</ul>`
    : '<p>Nothing looked secret.</p>';
  const omitted = model.omissions.length
    ? `<p>Left out to keep the file small:</p><ul>${model.omissions.map((o) => `<li>${escapeHtml(o)}</li>`).join('')}</ul>`
    : '';
  return `<h2>Redacted</h2><p class="note">Values are replaced by [redacted]; none is kept in this file.</p>${said}${omitted}`;
}

export function renderHtml(model: ReportModel): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    // No network: nothing may be fetched, even by a line a job printed.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${escapeHtml(model.title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${escapeHtml(model.title)}</h1><p class="note">made by vigil report at ${escapeHtml(model.generatedAt)}</p>`,
    `<h2>Summary</h2>${table(model.overview)}`,
    causeSection(model),
    chartSection(model),
    attemptsSection(model),
    timelineSection(model),
    stacksSection(model),
    `<h2>Environment</h2>${table(model.environment)}`,
    logsSection(model),
    redactionSection(model),
    '</body></html>',
    '',
  ].join('\n');
}
