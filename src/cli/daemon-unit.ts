/**
 * `vigil daemon install`: a systemd user unit that keeps the daemon running, written where
 * `systemctl --user` finds it. The text is a pure function; installUnit writes it.
 */

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { ExitCode, VigilError } from '../errors.ts';

export const UNIT_NAME = 'vigil-daemon.service';

export type UnitInputs = {
  /** The node binary, absolute. */
  node: string;
  /** vigil's CLI entry point (dist/cli/main.js), absolute. */
  cli: string;
  /** VIGIL_HOME: the store the daemon serves. */
  home: string;
  /** The installing shell's PATH: the jobs find python (a user unit gets only systemd's short default PATH). */
  path: string;
};

/**
 * One word of a command line or an assignment, as systemd reads it back (systemd.service "Command
 * lines", systemd.unit "Specifiers"): double-quoted so spaces stay in it; inside the quotes
 * backslash and `"` are C-escaped; `%` is doubled (specifiers expand even inside quotes); `$` is
 * doubled in command lines (they expand $VAR, Environment= does not).
 */
function quoted(word: string, where: 'command' | 'assignment'): string {
  const escaped = word
    .replace(/[\\"]/g, (char) => `\\${char}`)
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t')
    .replace(/%/g, '%%');
  return `"${where === 'command' ? escaped.replace(/\$/g, '$$$$') : escaped}"`;
}

export function systemdUserUnit({ node, cli, home, path }: UnitInputs): string {
  for (const [name, value] of Object.entries({ node, cli, home }))
    if (!isAbsolute(value)) throw new VigilError(`daemon install: the ${name} path must be absolute, got ${value}`, ExitCode.usage);
  return `# Written by \`vigil daemon install\`; \`vigil daemon install --force\` rewrites it.
[Unit]
Description=vigil daemon: runs the jobs of vigil submit

[Service]
Type=simple
ExecStart=${[node, cli, 'daemon'].map((word) => quoted(word, 'command')).join(' ')}
Environment=${quoted(`VIGIL_HOME=${home}`, 'assignment')}
Environment=${quoted(`PATH=${path}`, 'assignment')}
Restart=always
RestartSec=2
# Stop only the daemon itself: the default (control-group) would kill every process of the unit,
# the runs it started included, on each stop or restart of the daemon (an upgrade, a crash). Its
# runs live on; a restarted daemon finds them in the store.
KillMode=process

[Install]
WantedBy=default.target
`;
}

export type InstalledUnit = {
  /** Where it was written. */
  path: string;
  /** What the user runs next. */
  commands: string[];
  /** The file was there with the same text: nothing written. */
  unchanged: boolean;
};

/**
 * Writes the unit to $XDG_CONFIG_HOME/systemd/user (default ~/.config/systemd/user), atomically
 * (a temporary file renamed over). A different file already there is the user's, or another
 * vigil's: refused with a line saying how to replace it, unless `force`.
 */
export function installUnit(inputs: UnitInputs, options: { force?: boolean; env?: NodeJS.ProcessEnv } = {}): InstalledUnit {
  const env = options.env ?? process.env;
  const configHome = env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(env.HOME ?? homedir(), '.config');
  const path = join(configHome, 'systemd', 'user', UNIT_NAME);
  const text = systemdUserUnit(inputs);
  const commands = [
    `systemctl --user daemon-reload && systemctl --user enable --now ${UNIT_NAME}`,
    // Without lingering, systemd stops a user's services when their last session ends (the SSH
    // logout after submitting a week of jobs); with it, the daemon starts at boot and stays.
    'loginctl enable-linger $USER',
  ];
  const existing = existsSync(path) ? readFileSync(path, 'utf8') : null;
  if (existing === text) return { path, commands, unchanged: true };
  if (existing !== null && !options.force)
    throw new VigilError(`daemon install: ${path} exists and differs: vigil daemon install --force replaces it`, ExitCode.usage);
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, text, { mode: 0o644 });
  renameSync(temporary, path);
  return { path, commands, unchanged: false };
}
