/** A traceback pasted without its line breaks is read as Python printed it. */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diagnoseText } from '../../../src/core/diagnosis/diagnose.ts';
import { unflattenedTraceback } from '../../../src/core/diagnosis/flattened-traceback.ts';

const FLAT =
  'Traceback (most recent call last): File "/home/u/Wonder3D/test.py", line 269, in main validation_dataset = MVDiffusionDataset( ' +
  'File "/home/u/Wonder3D/mvdiffusion/data/single_image_dataset.py", line 138, in __init__ image, alpha = self.load_image(path) ' +
  'File "/home/u/Wonder3D/mvdiffusion/data/single_image_dataset.py", line 205, in load_image alpha_np = np.asarray(image_input)[:, :, 3] ' +
  'IndexError: index 3 is out of bounds for axis 2 with size 3';

test('a flattened traceback gets back its header, frames, source lines and exception', () => {
  assert.deepEqual(unflattenedTraceback(FLAT), [
    'Traceback (most recent call last):',
    '  File "/home/u/Wonder3D/test.py", line 269, in main',
    '    validation_dataset = MVDiffusionDataset(',
    '  File "/home/u/Wonder3D/mvdiffusion/data/single_image_dataset.py", line 138, in __init__',
    '    image, alpha = self.load_image(path)',
    '  File "/home/u/Wonder3D/mvdiffusion/data/single_image_dataset.py", line 205, in load_image',
    '    alpha_np = np.asarray(image_input)[:, :, 3]',
    'IndexError: index 3 is out of bounds for axis 2 with size 3',
  ]);
  assert.equal(unflattenedTraceback('Traceback (most recent call last):'), null);
  assert.equal(unflattenedTraceback('  File "train.py", line 3, in <module>'), null);
});

test('a flattened traceback is diagnosed as the traceback it was: here a sample failing while the dataset is built', () => {
  const d = diagnoseText(`${FLAT}\n`);
  assert.deepEqual([d.category, d.exception?.type], ['dataloader_worker_error', 'IndexError']);
});
