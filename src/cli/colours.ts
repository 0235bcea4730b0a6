/**
 * Colour is decided per stream: vigil writes the job's output and the listings to stdout and its
 * own messages to stderr, and either may be a terminal while the other is a file
 * (`vigil run … 2>vigil.txt`). The rules are picocolors' own (NO_COLOR, FORCE_COLOR, TERM=dumb),
 * asked of the stream that is written to.
 */

import pc from 'picocolors';

export type Colours = ReturnType<typeof pc.createColors>;

export function coloursFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Colours {
  return pc.createColors(!env.NO_COLOR && (Boolean(env.FORCE_COLOR) || (Boolean(stream.isTTY) && env.TERM !== 'dumb')));
}

/** For what goes to stdout. */
export const out = coloursFor(process.stdout);
/** For vigil's own messages on stderr. */
export const err = coloursFor(process.stderr);
