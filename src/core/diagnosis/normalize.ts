/**
 * One raw log line → the text a person would see and the process that printed it. Launchers
 * prefix lines with the rank (`[rank1]:`, `[default0]:`, `0: `, `[1,0]<stderr>:`), container
 * runners with the service (`trainer_1  | `), Ray with the worker (`(pid=9671) `); terminals
 * overwrite progress bars with `\r`; colours add ANSI escapes. Rules and the traceback parser
 * see the line without any of that.
 */

import { lastVisibleSegment } from '../text/terminal-text.ts';

/** `text`: what the terminal shows (last `\r` segment); `full`: every segment, for rules to search. */
export type NormalizedLine = { text: string; full: string; rank: number | null };

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g;
/** Colour codes whose escape character a paste lost, opening the line (Ray's coloured prefix: `[36m(pid=9671)[0m `). */
const COLOUR_CODE = String.raw`\[(?:\d{1,3};)*\d{1,3}m`;
const COLOUR_WITHOUT_ESCAPE = new RegExp(`^${COLOUR_CODE}`);
const COLOURS_WITHOUT_ESCAPE = new RegExp(COLOUR_CODE, 'g');
const RANK_PREFIX =
  /^\s*(?:\[(?:rank|default|RANK|Rank)\s?(\d+)\]:?|\[1,(\d+)\]<std(?:out|err)>:|(?:rank|RANK)(\d+)\s?:|(\d{1,4}):(?= ))\s?/;

/**
 * Ray's prefix on what its workers and actors print (`(pid=9671) `, `(EmbodiedFSDPActor pid=9671) `,
 * `(ActorModelRayActor pid=207260, ip=10.0.1.75) `), and SkyPilot's (`(task, pid=18443) `).
 */
const RAY_PREFIX = /^\((?:[\w.-]+,? )?pid=\d+(?:, ip=[\d.]+)?\) ?/;

/**
 * A logger's level, date, time and source before each line it writes, a traceback's lines included (vLLM's
 * `ERROR 01-11 13:09:40 engine.py:366]     raise …`): the traceback parser reads what follows.
 */
const LEVEL_DATE_SOURCE_PREFIX = /^(?:DEBUG|INFO|WARNING|ERROR|CRITICAL) \d\d-\d\d \d\d:\d\d:\d\d(?:[.,]\d+)? [\w.-]+:\d+\] ?/;

/** A container runner's name for the service that printed the line: docker compose's `trainer_1  | ` or `trainer-1  | `. */
const CONTAINER_PREFIX = /^[A-Za-z0-9][\w.-]*[-_]\d+ +\| /;
const MAX_CONTAINER_PREFIX = 80;
/** A log pasted as a Markdown quote (`> Traceback (most recent call last):`, `> > …` nested); not Python's `>>>` prompt. */
const QUOTE_PREFIX = /^(?:>(?!>) ?)+/;

export function normalizeLine(raw: string): NormalizedLine {
  let full = raw.includes('\x1b') ? raw.replace(ANSI, '') : raw;
  if (full.charCodeAt(0) === 0x5b && COLOUR_WITHOUT_ESCAPE.test(full)) full = full.replace(COLOURS_WITHOUT_ESCAPE, '');
  if (full.charCodeAt(0) === 0x3e) full = full.replace(QUOTE_PREFIX, '');
  // The bar sits within the line's first characters: only they are searched (most lines have none).
  if (full.lastIndexOf(' | ', MAX_CONTAINER_PREFIX) !== -1) full = full.replace(CONTAINER_PREFIX, '');
  if (full.charCodeAt(0) === 0x28) full = full.replace(RAY_PREFIX, '');
  else full = full.replace(LEVEL_DATE_SOURCE_PREFIX, '');
  let text = full;
  if (full.includes('\r')) {
    text = lastVisibleSegment(full);
    full = full.replace(/\r/g, ' ');
  }
  const match = RANK_PREFIX.exec(text);
  if (!match) return { text, full, rank: null };
  const rank = Number(match[1] ?? match[2] ?? match[3] ?? match[4]);
  const prefixed = RANK_PREFIX.exec(full);
  return { text: text.slice(match[0].length), full: prefixed ? full.slice(prefixed[0].length) : full, rank };
}
