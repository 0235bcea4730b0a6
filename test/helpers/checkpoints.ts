/** Real checkpoints for tests, written by PyTorch (test/fixtures/checkpoints/make.py). */

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { torchPython } from './python.ts';
import { JOBS, REPO } from './vigil.ts';

const MAKE = join(REPO, 'test', 'fixtures', 'checkpoints', 'make.py');

export function makeCheckpoint(kind: 'torch' | 'hf' | 'safetensors', path: string, step?: number): void {
  const made = spawnSync(torchPython(), [MAKE, kind, path, ...(step === undefined ? [] : [String(step)])], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`make.py ${kind} ${path} failed: ${made.stderr}`);
}

/** torch.save of a 64 MiB tensor through a slow file: resolves once its first bytes are on disk. */
export function startSlowSave(path: string): Promise<ChildProcess> {
  const child = spawn(torchPython(), [MAKE, 'slow', path], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => (chunk.toString().includes('started') ? resolve(child) : undefined));
    child.once('exit', (code) => reject(new Error(`slow save exited early (${code})`)));
  });
}

/** The resuming trainer (test/fixtures/jobs/restart/train_resume.py): saves to `ckpt`, resumes from `{checkpoint}`. */
export const RESUMING_TRAINER = join(JOBS, 'restart', 'train_resume.py');
export const trainResuming = (ckpt: string): string[] => [torchPython(), RESUMING_TRAINER, '--ckpt-dir', ckpt, '--resume', '{checkpoint}'];

/** `vigil run` of the resuming trainer that crashes at step 45 once, restarted on failure after `backoff`. */
export const crashOnceRun = (ckpt: string, backoff: string, extra: string[] = []): string[] => [
  'run',
  '--restart',
  'on-failure',
  '--backoff',
  backoff,
  '--checkpoints',
  ckpt,
  '--',
  ...trainResuming(ckpt),
  '--crash-at',
  '45',
  ...extra,
];
