/**
 * Is a safetensors file whole? Its layout: an 8-byte little-endian header length N, N bytes of
 * JSON mapping each tensor to `data_offsets: [begin, end]` within the data that follows; the
 * file is exactly 8 + N + the largest end.
 */

import type { FileHandle } from 'node:fs/promises';
import type { Wholeness } from './torch-zip.ts';

/** The format's own limit on the header (safetensors refuses larger ones). */
const MAX_HEADER = 100 * 1024 * 1024;

export async function checkSafetensors(file: FileHandle, fileSize: number): Promise<Wholeness> {
  if (fileSize < 8) return { whole: false, reason: `${fileSize} bytes: too short for a safetensors file` };
  const prefix = Buffer.alloc(8);
  await file.read(prefix, 0, 8, 0);
  const headerLength = Number(prefix.readBigUInt64LE(0));
  if (headerLength > MAX_HEADER || 8 + headerLength > fileSize)
    return { whole: false, reason: `header of ${headerLength} bytes does not fit in ${fileSize}` };
  const headerBytes = Buffer.alloc(headerLength);
  await file.read(headerBytes, 0, headerLength, 8);
  let header: unknown;
  try {
    header = JSON.parse(headerBytes.toString('utf8'));
  } catch {
    return { whole: false, reason: 'header is not JSON' };
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    return { whole: false, reason: 'header is not a JSON object' };
  let dataLength = 0;
  for (const [name, tensor] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const offsets = (tensor as { data_offsets?: unknown }).data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0))
      return { whole: false, reason: `tensor ${name}: no valid data_offsets` };
    dataLength = Math.max(dataLength, offsets[1] as number);
  }
  const expected = 8 + headerLength + dataLength;
  if (expected !== fileSize) return { whole: false, reason: `header describes ${expected} bytes, the file has ${fileSize}` };
  return { whole: true };
}
