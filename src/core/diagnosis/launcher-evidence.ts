/**
 * What launchers and schedulers say about how a job ended, when no Python exception is the cause:
 * torchrun's agent (`Received 15 death signal`, the signal it forwards to its workers, its failure
 * table `exitcode : -9`), `SignalException: Process N got signal: 15`, Slurm (`CANCELLED AT …
 * DUE TO TIME LIMIT`), Kubernetes (`OOMKilled`, `Evicted`). A signal from outside is `preempted`;
 * SIGINT is someone's Ctrl-C (`interrupted`); SIGKILL is the OOM killer's (host-oom in the catalog).
 *
 * torchrun sends SIGTERM to the surviving workers whenever one of them fails, so `closing signal
 * SIGTERM` alone says nothing; it forwards SIGHUP/SIGINT only when it received them itself.
 */

import type { Rule } from './catalog.ts';

/** Signals that stop a job from outside: SIGHUP (1), SIGTERM (15), SIGUSR1/2 (10, 12) used by schedulers before a kill. */
const EXTERNAL_SIGNAL = String.raw`(?:1|15|10|12|SIGHUP|SIGTERM|SIGUSR[12])`;

/**
 * A process killed by signal N as a launcher reports it: a negative exit code (torchrun's
 * `exitcode : -9`, DeepSpeed's `exits with return code = -9`, subprocess's `exit status -9` and
 * `returncode=-9`, a job runner's `error code -9`).
 */
export function killedBySignal(signals: string): RegExp {
  return new RegExp(String.raw`(?:exitcode|exit code|error code|return ?code|exit status)\s*[:=]?\s*-(?:${signals})\b(?!\d)`, 'i');
}

/**
 * torch's report of a DataLoader worker killed by a signal, by the signal's description (`is killed by signal: Killed.`,
 * `Bus error`, `Segmentation fault`), also retyped without its space or capitals.
 */
export function workerKilledBy(description: string): string {
  return String.raw`killed by signal:\s*${description}`;
}

/**
 * A process that ended with status 128+N, the shell's way of saying "killed by signal N", as IDEs,
 * container runtimes and wrappers print it (`Process finished with exit code 137`, `exited with
 * code 137`, `returned non-zero exit status 143`).
 */
export function exitedWithStatus(codes: string): RegExp {
  return new RegExp(
    String.raw`(?:exit(?:ed)?(?: with)? (?:code|status)|return(?:ed)? (?:code|non-zero exit status))\s*[:=]?\s*(?:${codes})\b(?!\.\d)`,
    'i',
  );
}

/**
 * The shell's job-status word (`Killed`, `Terminated`) for a child that died of a signal: alone
 * on its line, glued to the end of what the job printed last (a progress bar without a newline,
 * a Markdown-bold or -italic paste), or written over a `\r`-redrawn progress line whose longer tail still
 * shows after it (`Killedg in train batch: 127687 / 263115`).
 */
export function shellJobStatus(word: string): RegExp {
  return new RegExp(String.raw`(?:^|[\s\]|*%])[*_]*${word}[*_]*\s*$|^${word}(?=\S*\s.*\d\s*(?:/|of)\s*\d)`);
}

/**
 * bash's report, from a script, of a child that died of a signal (`./run.sh: line 104: 30820 Killed   python train.py`),
 * with `line` in the locales people paste logs from (zh_CN and ja `行`, de, es, fr, ru).
 */
export function shellLineReport(word: string): RegExp {
  return new RegExp(String.raw`(?:\bline|行|\bZeile|\blínea|\bligne|строка) \d+:\s+\d+ ${word}(?![\w])`);
}

/**
 * SIGKILL's name as the shell prints a job's status, in the locales people paste logs from: the
 * C locale's `Killed` and glibc's translations of it (zh_CN, de, es, fr, ja, ko, pt_BR, ru).
 */
export const KILLED = '(?:Killed|已杀死|Getötet|Terminado \\(killed\\)|Processus arrêté|強制終了|죽었음|Morto|Убито)';
/** SIGSEGV's name as the shell prints it in glibc's translations (zh_CN, zh_TW, de, es, fr, it, ja, ko, pt_BR, ru); the C locale's is the catalog's own. */
export const SEGMENTATION_FAULT_TRANSLATED =
  '(?:段错误|程式記憶體區段錯誤|Speicherzugriffsfehler|Violación de segmento|Erreur de segmentation|Errore di segmentazione|セグメンテーション違反|세그멘테이션 오류|Falha de segmentação|Ошибка сегментирования)';

/** SIGABRT's name, likewise (C, zh_CN, de, ja, ru), and the same followed by bash's `(core dumped)` in those locales. */
export const ABORTED = '(?:Aborted|已放弃|Abgebrochen|中止|Аварийный останов)';
const CORE_DUMPED = '(?:core dumped|核心已转储|Speicherabzug geschrieben|コアダンプ|стек памяти сброшен на диск)';
export const ABORTED_CORE_DUMPED = String.raw`(?<!\w)${ABORTED} \(${CORE_DUMPED}\)`;

/** SIGTERM's name, likewise (C, zh_CN, de). */
export const TERMINATED = '(?:Terminated|已终止|Beendet)';

/**
 * A Windows process that died of a native crash, as IDEs and wrappers report its NTSTATUS exit code
 * (`Process finished with exit code -1073741819 (0xC0000005)`): an access violation or a stack
 * overflow, Windows' SIGSEGV. The code appears signed, unsigned or in hex.
 */
export function windowsNativeCrash(): RegExp {
  return /\b0xC0000005\b|\b0xC00000FD\b|(?:code|status)\W{0,3}(?:-1073741819|3221225477|-1073741571|3221225725)\b/i;
}

export const LAUNCHER_RULES: readonly Rule[] = [
  {
    id: 'launcher-external-signal',
    category: 'preempted',
    priority: 59,
    patterns: [
      new RegExp(String.raw`Received ${EXTERNAL_SIGNAL} death signal`),
      /closing signal SIG(?:HUP|USR[12])\b/,
      new RegExp(String.raw`SignalException: Process \d+ got signal: ${EXTERNAL_SIGNAL}\b`),
      /CANCELLED AT \S+ DUE TO (?:TIME LIMIT|PREEMPTION|NODE FAILURE)|\*\*\* (?:JOB|STEP) \S+ .*CANCELLED AT/,
      /\bEvicted\b.*(?:node|pod|resource)|\bThe node was low on resource\b/i,
      killedBySignal('1|15'),
      exitedWithStatus('143|129'),
      shellJobStatus(TERMINATED),
      shellLineReport(TERMINATED),
      /<Signals\.SIG(?:TERM|HUP|USR[12]): \d+>/,
      // Alone on its line in any case; from a script (`run.sh: line 3: 71885 Terminated …`), shellLineReport above.
      /(?:received|caught|got) (?:signal )?SIGTERM|SIGTERM (?:received|caught)|^\s*Terminated\b/i,
    ],
    explain: 'the launcher or the scheduler stopped the job with a signal from outside (preemption, time limit, hang-up)',
    fixes: [
      'Resume from the newest checkpoint; checkpoint more often than the preemption interval',
      'Handle SIGTERM/SIGUSR to save a checkpoint before the kill; run under nohup/tmux so a closed terminal does not stop it',
    ],
  },
  {
    // The scheduler says who sent the signal: the job's owner (LSF's `TERM_OWNER: job killed by owner.`), which
    // outweighs the bare signal it was killed with (`Terminated`, exit 143) that would otherwise read as preemption.
    id: 'killed-by-owner',
    category: 'interrupted',
    priority: 60,
    patterns: [/\bTERM_OWNER\b|\bjob killed by owner\b/],
    explain: "the job's owner stopped it through the scheduler",
    fixes: ['Nothing to fix: re-run when ready'],
  },
  {
    id: 'launcher-sigint',
    category: 'interrupted',
    priority: 59,
    patterns: [
      /Received (?:2|SIGINT) death signal|closing signal SIGINT\b/,
      /SignalException: Process \d+ got signal: (?:2|SIGINT)\b|<Signals\.SIGINT: 2>/,
      killedBySignal('2'),
      exitedWithStatus('130'),
      // The terminal echoes Ctrl-C as `^C`, often glued to whatever is printed next (a traceback, a
      // logging prefix such as glog's `W0101` or a `[timestamp]`).
      /\^C |\^C\t|\^CTraceback|\^CKeyboardInterrupt|\^CException|\^CError|\^CProcess|\^CReceived|\^CStopping|\^CSaving|\^CAbort|\^CTerminat|\^CExit|\^CInterrupt|\^CW0|\^CW1|\^CI0|\^CI1|\^CE0|\^CE1|\^C\[/,
    ],
    explain: 'the job was stopped with Ctrl-C (SIGINT)',
    fixes: ['Nothing to fix: re-run when ready'],
  },
];
