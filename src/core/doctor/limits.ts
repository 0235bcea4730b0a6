/**
 * The resource limits a job started from here inherits (/proc/self/limits), judged against what
 * training needs: open files for DataLoader workers passing tensors (the `too_many_open_files`
 * crashes), processes and threads for workers × their threads, and core dumps (information). Pure.
 */

import { formatSize } from '../size.ts';
import { check, type CheckResult } from './check.ts';

/** A limit's soft and hard values; Infinity for `unlimited`, null when unreadable. */
export type Limit = { soft: number | null; hard: number | null };

export type LimitFacts = {
  openFiles: Limit;
  processes: Limit;
  coreFileBytes: Limit;
  /** Root is not held to the process limit (the kernel lets CAP_SYS_RESOURCE/ADMIN past RLIMIT_NPROC). */
  root: boolean;
  /** /proc/sys/kernel/core_pattern: where a core dump goes (a file name, or `|program`); null when unreadable. */
  corePattern: string | null;
};

/** `Max open files  1024  4096  files` → 'Max open files' → { soft: 1024, hard: 4096 }. */
export function parseProcLimits(text: string): Map<string, Limit> {
  const limits = new Map<string, Limit>();
  for (const line of text.split('\n').slice(1)) {
    const match = /^(.+?)\s{2,}(\S+)\s+(\S+)/.exec(line);
    if (match) limits.set(match[1] as string, { soft: limitValue(match[2] as string), hard: limitValue(match[3] as string) });
  }
  return limits;
}

const limitValue = (cell: string): number | null => (cell === 'unlimited' ? Infinity : /^\d+$/.test(cell) ? Number(cell) : null);
const shown = (value: number | null): string => (value === null ? '?' : value === Infinity ? 'unlimited' : String(value));

/** Below this, many DataLoader workers passing tensors run out of descriptors. */
const FEW_OPEN_FILES = 4096;

/** vigil's own limit: Node raises its soft open-files limit to the hard one, and a job under vigil inherits that. */
export function judgeOpenFiles({ soft, hard }: Limit): CheckResult {
  if (soft === null) return check('open-files', 'skip', 'the open-files limit could not be read');
  const line = `open-files limit (ulimit -n) ${shown(soft)}${hard !== null ? `, hard ${shown(hard)}` : ''}`;
  if (soft >= FEW_OPEN_FILES) return check('open-files', 'ok', line);
  const raise =
    hard !== null && hard >= FEW_OPEN_FILES
      ? `ulimit -n ${FEW_OPEN_FILES} before starting the job (the hard limit allows it)`
      : `raise the hard limit (nofile in /etc/security/limits.conf, LimitNOFILE= in a systemd unit, docker --ulimit nofile=65536), or torch.multiprocessing.set_sharing_strategy('file_system')`;
  return check('open-files', 'warn', line, raise);
}

/** Every DataLoader worker is a process with its own threads (OpenMP, MKL, pin-memory…), all counted against ulimit -u. */
const FEW_PROCESSES = 4096;

export function judgeProcessLimit({ processes, root }: Pick<LimitFacts, 'processes' | 'root'>): CheckResult {
  if (processes.soft === null) return check('processes', 'skip', 'the process limit could not be read');
  const line = `process limit (ulimit -u) ${shown(processes.soft)}${processes.hard !== null ? `, hard ${shown(processes.hard)}` : ''}`;
  if (processes.soft >= FEW_PROCESSES) return check('processes', 'ok', line);
  if (root) return check('processes', 'ok', `${line} (not enforced for root)`);
  return check(
    'processes',
    'warn',
    `${line}: DataLoader workers × their threads count against it ("can't start new thread", "Resource temporarily unavailable")`,
    `ulimit -u ${FEW_PROCESSES}${processes.hard !== null && processes.hard < FEW_PROCESSES ? ' after raising the hard limit (nproc in /etc/security/limits.conf, TasksMax= in a systemd unit, docker --pids-limit / --ulimit nproc)' : ''}`,
  );
}

/** Information only: whether a crash of the job (a segfault in a CUDA extension) leaves a core dump, and where. */
export function judgeCoreDumps({ coreFileBytes, corePattern }: Pick<LimitFacts, 'coreFileBytes' | 'corePattern'>): CheckResult {
  if (coreFileBytes.soft === null) return check('core-dumps', 'skip', 'the core-file limit could not be read');
  const where = corePattern === null ? '' : `, core_pattern ${corePattern}`;
  if (coreFileBytes.soft === 0)
    return check(
      'core-dumps',
      'ok',
      `core dumps off (ulimit -c 0${coreFileBytes.hard ? `, hard ${shown(coreFileBytes.hard)}` : ''})${where}`,
    );
  const size = coreFileBytes.soft === Infinity ? 'unlimited' : formatSize(coreFileBytes.soft);
  return check(
    'core-dumps',
    'ok',
    `core dumps on (ulimit -c ${size}: a crashed job with GPU memory mapped can write a very large file)${where}`,
  );
}
