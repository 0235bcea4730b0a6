/**
 * A fake `nvidia-smi`: it stands in for the GPU driver, which cannot run on the machines the tests
 * run on. It answers `--query-gpu=… --format=csv[,noheader][,nounits]` as the real one does, from
 * a JSON file the test rewrites while it runs (a job taking memory, a stranger's process, a
 * driver that fails or hangs). Prepend `dir` to PATH.
 */

import { chmodSync, existsSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type FakeGpu = { uuid?: string; memoryTotalMiB: number | '[N/A]'; memoryUsedMiB: number | '[N/A]' };

export type FakeNvidiaSmiState = {
  gpus: FakeGpu[];
  /** Fail as the real one does: this exit status, `message` on stdout. */
  exitCode?: number;
  message?: string;
  /** Hang this long before answering (a wedged driver). */
  hangSeconds?: number;
};

export type FakeNvidiaSmi = {
  dir: string;
  set(state: FakeNvidiaSmiState): void;
  /** The argument lists it was run with, oldest first. */
  calls(): string[][];
};

const SCRIPT = String.raw`
import json, os, sys, time
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, 'calls.jsonl'), 'a') as calls:
    calls.write(json.dumps(sys.argv[1:]) + '\n')
with open(os.path.join(here, 'state.json')) as f:
    state = json.load(f)
time.sleep(state.get('hangSeconds', 0))
if state.get('exitCode', 0) != 0:
    print(state.get('message', ''))
    sys.exit(state['exitCode'])
args = dict(a.split('=', 1) for a in sys.argv[1:] if '=' in a)
fields = args['--query-gpu'].split(',')
options = args['--format'].split(',')
units = {'memory.total': ' [MiB]', 'memory.used': ' [MiB]'}
if 'noheader' not in options:
    print(', '.join(f + units.get(f, '') for f in fields))
for index, gpu in enumerate(state['gpus']):
    def value(field):
        if field == 'index':
            return str(index)
        if field == 'uuid':
            return gpu.get('uuid', 'GPU-%08d-0000-0000-0000-000000000000' % index)
        figure = gpu['memoryTotalMiB' if field == 'memory.total' else 'memoryUsedMiB']
        return str(figure) if isinstance(figure, str) or 'nounits' in options else '%d MiB' % figure
    print(', '.join(value(f) for f in fields))
`;

export function fakeNvidiaSmi(state: FakeNvidiaSmiState): FakeNvidiaSmi {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-fake-nvidia-smi-'));
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : '/usr/bin/env python3';
  writeFileSync(join(dir, 'nvidia-smi'), `#!${python}\n${SCRIPT}`);
  chmodSync(join(dir, 'nvidia-smi'), 0o755);
  const set = (next: FakeNvidiaSmiState) => {
    // Whole or not at all: the fake may be reading while the test writes.
    writeFileSync(join(dir, 'state.json.tmp'), JSON.stringify(next));
    renameSync(join(dir, 'state.json.tmp'), join(dir, 'state.json'));
  };
  set(state);
  const calls = () => {
    const file = join(dir, 'calls.jsonl');
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as string[]);
  };
  return { dir, set, calls };
}
