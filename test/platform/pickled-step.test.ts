import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readPickledStep } from '../../src/platform/checkpoints/pickled-step.ts';
import { torchPython } from '../helpers/python.ts';

test("last.ckpt's step is read from the checkpoint torch.save wrote (Lightning's global_step)", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-last-'));
  const save = (name: string, dict: string) => {
    const made = spawnSync(torchPython(), ['-c', `import torch; torch.save(${dict}, ${JSON.stringify(join(dir, name))})`]);
    assert.equal(made.status, 0, String(made.stderr));
  };
  save('last.ckpt', "{'epoch': 3, 'global_step': 4321, 'state_dict': {'w': torch.zeros(3)}}");
  save('nostep.ckpt', "{'epoch': 0, 'state_dict': {}}");
  assert.equal(await readPickledStep(join(dir, 'last.ckpt')), 4321);
  assert.equal(await readPickledStep(join(dir, 'nostep.ckpt')), null);
});
