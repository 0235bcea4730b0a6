/**
 * An attempt's log: its tail, then what the job writes as it comes (log/live). Lines the attempt's
 * diagnosis cites as evidence are highlighted (matched by text: the tail does not say which line
 * of the file it starts at). It keeps to the bottom while the reader is there.
 */

import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { getJson } from './api.ts';
import { bytes } from './format.ts';
import { subscribe } from './live.ts';
import { appendText, byteLength, displayText, EMPTY, type LogLines } from './log-lines.ts';
import type { Attempt, LogChunk } from './types.ts';

const TAIL_BYTES = 65536;

type Props = { base: string; attempts: readonly Attempt[]; live: boolean };

export function LogView({ base, attempts, live }: Props) {
  const [chosen, setChosen] = useState<number | null>(null);
  const [started, setStarted] = useState(0);
  const latest = Math.max(attempts.at(-1)?.n ?? 1, started);
  // Not chosen: follow the latest attempt, including one that starts while the page is open.
  const n = chosen ?? latest;
  const following = live && n === latest;
  const [log, setLog] = useState<LogLines>(EMPTY);
  const [size, setSize] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const offset = useRef(0);

  useEffect(() => {
    let cancelled = false;
    let close = () => {};
    setLog(EMPTY);
    setError(null);
    getJson<LogChunk>(`${base}/log?attempt=${n}&tail=${TAIL_BYTES}`).then(
      (chunk) => {
        if (cancelled) return;
        setLog(appendText(EMPTY, chunk.text));
        setSize(chunk.size);
        // The file's size, not offset + the text's bytes: the text may be redacted (other lengths).
        offset.current = chunk.size;
        let lastStart = -1;
        if (!following) return;
        close = subscribe({
          path: `${base}/log/live`,
          params: () => ({ attempt: n, offset: offset.current }),
          handlers: {
            append: (data) => {
              const { offset: at, text, end } = data as { offset: number; text: string; end?: number };
              if (at <= lastStart) return; // already shown: a reconnection resumed from an earlier offset
              lastStart = at;
              offset.current = end ?? at + byteLength(text);
              setSize(offset.current);
              setLog((current) => appendText(current, text));
            },
            attempt: (data) => setStarted((data as { n: number }).n),
          },
        });
      },
      (reason: unknown) => !cancelled && setError(reason instanceof Error ? reason.message : String(reason)),
    );
    return () => {
      cancelled = true;
      close();
    };
  }, [base, n, following]);

  const evidence = useMemo(() => {
    const diagnosis = attempts.find((attempt) => attempt.n === n)?.diagnosis;
    return new Map((diagnosis?.evidence ?? []).map((line) => [displayText(line.text).trim(), line.line]));
  }, [attempts, n]);

  const pane = useRef<HTMLPreElement>(null);
  const stick = useRef(true);
  useLayoutEffect(() => {
    if (stick.current && pane.current) pane.current.scrollTop = pane.current.scrollHeight;
  }, [log]);
  const onScroll = () => {
    const element = pane.current;
    if (element) stick.current = element.scrollTop + element.clientHeight >= element.scrollHeight - 8;
  };

  return (
    <section class="log">
      <div class="toolbar">
        <h2>Log</h2>
        {attempts.length > 1 && (
          <select
            value={chosen ?? ''}
            onChange={(event) => setChosen(event.currentTarget.value ? Number(event.currentTarget.value) : null)}
            aria-label="Attempt"
          >
            <option value="">latest attempt</option>
            {attempts.map((attempt) => (
              <option key={attempt.n} value={attempt.n}>
                attempt {attempt.n}
                {attempt.diagnosis ? ` (${attempt.diagnosis.category})` : ''}
              </option>
            ))}
          </select>
        )}
        <span class="muted">
          attempt {n}
          {size != null ? ` · ${bytes(size)}` : ''}
          {following ? ' · live' : ''}
        </span>
      </div>
      {error && <div class="banner error">{error}</div>}
      <pre class="log-pane" ref={pane} onScroll={onScroll}>
        {log.dropped > 0 || (size ?? 0) > TAIL_BYTES ? <div class="muted">… earlier output not shown</div> : null}
        {log.lines.map((line, i) => (
          <LogLine key={log.dropped + i} text={line} evidenceLine={evidence.get(line.trim())} />
        ))}
        {log.open && <LogLine text={displayText(log.open)} />}
      </pre>
    </section>
  );
}

function LogLine({ text, evidenceLine }: { text: string; evidenceLine?: number | undefined }) {
  if (evidenceLine === undefined) return <div>{text || ' '}</div>;
  return (
    <div class="evidence-line" title={`evidence (line ${evidenceLine} of the log)`}>
      {text}
    </div>
  );
}
