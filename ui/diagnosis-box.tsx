/** Why the last failed attempt failed: what, where, the log lines behind it, and what to try. */

import { when } from './format.ts';
import { Link, runPath } from './router.tsx';
import type { Diagnosis, SeenBefore } from './types.ts';

export function DiagnosisBox({ diagnosis, attempt }: { diagnosis: Diagnosis; attempt: number }) {
  const { where, exception } = diagnosis;
  const culprit = diagnosis.culprit ?? diagnosis.process;
  return (
    <section class="diagnosis">
      <h2>
        Diagnosis <span class="muted">attempt {attempt}</span>
      </h2>
      <p class="summary">
        <span class="badge cause">{diagnosis.category}</span> {diagnosis.summary}
      </p>
      <p class="muted">
        confidence {diagnosis.confidence.toFixed(2)} ·{' '}
        {diagnosis.retryable ? 'a retry may help' : 'a retry will not help: fix the cause first'}
      </p>
      <dl class="facts">
        {exception && (
          <>
            <dt>Exception</dt>
            <dd class="mono">
              {exception.type}: {exception.message}
            </dd>
          </>
        )}
        {where && (
          <>
            <dt>Where</dt>
            <dd class="mono">
              {where.file}:{where.line} in {where.function}
            </dd>
          </>
        )}
        {culprit && (
          <>
            <dt>Process</dt>
            <dd class="mono">{culprit}</dd>
          </>
        )}
      </dl>
      {diagnosis.evidence.length > 0 && (
        <pre class="evidence">
          {diagnosis.evidence.map((line) => (
            <div key={line.line}>
              <span class="line-no">{line.line}</span>
              {line.text}
            </div>
          ))}
        </pre>
      )}
      {diagnosis.fixes.length > 0 && (
        <>
          <h3>Fixes to try</h3>
          <ul class="fixes">
            {diagnosis.fixes.map((fix) => (
              <li key={fix}>{fix}</li>
            ))}
          </ul>
        </>
      )}
      {diagnosis.seen_before && <SeenBeforeNote seen={diagnosis.seen_before} />}
    </section>
  );
}

function SeenBeforeNote({ seen }: { seen: SeenBefore }) {
  return (
    <div class="seen-before">
      <h3>Seen before</h3>
      <p>
        {seen.count} earlier failure{seen.count === 1 ? '' : 's'} with this signature, first {when(seen.first_seen)}, in{' '}
        {seen.runs.map((id, i) => (
          <span key={id}>
            {i > 0 ? ', ' : ''}
            <Link href={runPath(id)}>{id}</Link>
          </span>
        ))}
        .
      </p>
      {seen.fixed_by && (
        <p>
          Went away in run <Link href={runPath(seen.fixed_by.run)}>{seen.fixed_by.run_name ?? seen.fixed_by.run}</Link>
          {seen.fixed_by.params.length > 0 &&
            `, with ${seen.fixed_by.params.map((change) => `${change.name}: ${String(change.before)} → ${String(change.after)}`).join(', ')}`}
          {seen.fixed_by.fingerprints.length > 0 && ` (${seen.fixed_by.fingerprints.join('; ')})`}.
        </p>
      )}
    </div>
  );
}
