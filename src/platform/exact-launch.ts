/**
 * Starting a command whose words or directory are not valid UTF-8. Node encodes every string
 * it passes to exec as UTF-8, so raw bytes cannot travel as they are; each travels as its own
 * argument written as a printf format of octal escapes (pure ASCII), and a fixed `sh -c`
 * script rebuilds the bytes, enters the directory and execs the command (same pid). Used only
 * when a plain spawn would alter a byte.
 */

/** The command and directory as bytes (argv cannot hold NUL, so neither can these). */
export type ExactJob = { command: Buffer[]; cwd: Buffer };

/**
 * $1 is the directory, the rest the words, all escaped. The trailing "/" and "x" keep $(...)
 * from eating a final newline; a `cd` that fails exits 126 after the shell's own message.
 */
const REBUILD = [
  'cd -- "$(printf "$1/")" || exit 126',
  'shift',
  'n=$#',
  'for e do w=$(printf "${e}x"); set -- "$@" "${w%x}"; done',
  'shift $n',
  'exec "$@"',
].join('\n');

/** The script and its arguments after it ($1 onwards): `sh -c SCRIPT $0 ...args`. */
export function exactLaunch(job: ExactJob): { script: string; args: string[] } {
  return { script: REBUILD, args: [printfEscape(job.cwd), ...job.command.map(printfEscape)] };
}

/** The bytes as a printf format: safe characters as they are, the rest as \ooo. */
export function printfEscape(bytes: Buffer): string {
  let out = '';
  for (const byte of bytes) out += SAFE.has(byte) ? String.fromCharCode(byte) : `\\${byte.toString(8).padStart(3, '0')}`;
  return out;
}

// Not `\` and `%` (printf), nor `-` (a leading one reads as an option); the shell never sees these bytes unquoted.
const SAFE = new Set([...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./,:=+@'].map((c) => c.charCodeAt(0)));
