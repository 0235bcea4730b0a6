/**
 * The format check of a checkpoint: is what is on disk a whole save? A torch zip archive (what
 * torch.save writes since 1.6; Lightning's .ckpt and HF's .bin/.pt too) and a safetensors file
 * are parsed; a directory is whole when each of its files is. A file of another type (a legacy
 * pickle, a JSON config, an optimizer shard of unknown layout) cannot be judged by its format:
 * it passes here, and only the settle rule (unchanged for a while) vouches for it.
 */

import { open } from 'node:fs/promises';
import { checkSafetensors } from './safetensors.ts';
import { checkZip, type Wholeness } from './torch-zip.ts';
import type { CheckpointFile } from './files.ts';

export type { Wholeness };

export type FileKind = 'torch-zip' | 'safetensors' | 'unknown';

const ZIP_MAGIC = 0x04034b50;
const TORCH_EXTENSIONS = /\.(?:pt|pth|ckpt|bin|tar)$/;

export async function checkFileFormat(path: string): Promise<Wholeness & { kind: FileKind }> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const magic = Buffer.alloc(4);
    const { bytesRead } = await file.read(magic, 0, 4, 0);
    if (path.endsWith('.safetensors')) return { kind: 'safetensors', ...(await checkSafetensors(file, size)) };
    if (bytesRead === 4 && magic.readUInt32LE(0) === ZIP_MAGIC) return { kind: 'torch-zip', ...(await checkZip(file, size)) };
    // torch.save killed before its first bytes reached the disk: a torch name with nothing (or no archive) in it.
    if (TORCH_EXTENSIONS.test(path) && bytesRead < 4)
      return { kind: 'torch-zip', whole: false, reason: `${size} bytes: the save did not start` };
    return { kind: 'unknown', whole: true };
  } finally {
    await file.close();
  }
}

/** Every file of the checkpoint in turn; the first broken one names the reason (path relative to the checkpoint). */
export async function checkCheckpointFormat(files: readonly CheckpointFile[]): Promise<Wholeness> {
  if (files.length === 0) return { whole: false, reason: 'no files' };
  for (const file of files) {
    const verdict = await checkFileFormat(file.path);
    if (!verdict.whole) return { whole: false, reason: file.relative ? `${file.relative}: ${verdict.reason}` : verdict.reason };
  }
  return { whole: true };
}
