/** How a process ended, and the shell convention for turning that into one exit code. */

export type ExitStatus = { code: number | null; signal: string | null };

// Linux numbering (x86-64 and arm64 agree); the core stays free of node:* imports.
const SIGNALS: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGILL: 4,
  SIGTRAP: 5,
  SIGABRT: 6,
  SIGBUS: 7,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGSEGV: 11,
  SIGUSR2: 12,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
  SIGSTKFLT: 16,
  SIGCHLD: 17,
  SIGCONT: 18,
  SIGSTOP: 19,
  SIGTSTP: 20,
  SIGTTIN: 21,
  SIGTTOU: 22,
  SIGURG: 23,
  SIGXCPU: 24,
  SIGXFSZ: 25,
  SIGVTALRM: 26,
  SIGPROF: 27,
  SIGWINCH: 28,
  SIGIO: 29,
  SIGPWR: 30,
  SIGSYS: 31,
};

/** 128+N for a process killed by signal N, as shells report it; null when nothing is known. */
export function shellExitCode(status: ExitStatus): number | null {
  if (status.code !== null) return status.code;
  if (status.signal === null) return null;
  const number = signalNumber(status.signal);
  return number === null ? null : 128 + number;
}

/** "SIGKILL", "KILL", "kill" or "9" → 9. */
export function signalNumber(name: string): number | null {
  if (/^\d+$/.test(name)) return Number(name);
  const upper = name.toUpperCase();
  return SIGNALS[upper.startsWith('SIG') ? upper : `SIG${upper}`] ?? null;
}

export function signalName(number: number): string | null {
  for (const [name, value] of Object.entries(SIGNALS)) if (value === number) return name;
  return null;
}
