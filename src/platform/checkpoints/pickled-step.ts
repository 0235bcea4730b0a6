/**
 * Reads the `data.pkl` member of a torch zip checkpoint (stored, as torch.save writes it) and
 * asks the pure scanner for its step. Null for anything else: not a zip, compressed, no such key.
 */

import { open } from 'node:fs/promises';
import { stepFromPickle } from '../../core/checkpoints/pickled-step.ts';

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const MAX_PICKLE_BYTES = 64 << 20;

export async function readPickledStep(path: string): Promise<number | null> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const tailLength = Math.min(size, 65_557);
    const tail = Buffer.alloc(tailLength);
    await file.read(tail, 0, tailLength, size - tailLength);
    const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (eocd === -1 || tail.readUInt32LE(eocd) !== EOCD_SIGNATURE) return null;
    const entries = tail.readUInt16LE(eocd + 10);
    const directorySize = tail.readUInt32LE(eocd + 12);
    const directoryOffset = tail.readUInt32LE(eocd + 16);
    if (directoryOffset === 0xffffffff) return null; // zip64: checkpoints that big carry their step in the name
    const directory = Buffer.alloc(directorySize);
    await file.read(directory, 0, directorySize, directoryOffset);
    for (let at = 0, n = 0; n < entries && at + 46 <= directory.length; n += 1) {
      if (directory.readUInt32LE(at) !== CENTRAL_SIGNATURE) return null;
      const method = directory.readUInt16LE(at + 10);
      const compressed = directory.readUInt32LE(at + 20);
      const nameLength = directory.readUInt16LE(at + 28);
      const extraLength = directory.readUInt16LE(at + 30);
      const commentLength = directory.readUInt16LE(at + 32);
      const localOffset = directory.readUInt32LE(at + 42);
      const name = directory.toString('utf8', at + 46, at + 46 + nameLength);
      if (name.endsWith('/data.pkl') && method === 0 && compressed <= MAX_PICKLE_BYTES) {
        const local = Buffer.alloc(30);
        await file.read(local, 0, 30, localOffset);
        const dataStart = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
        const pickle = Buffer.alloc(compressed);
        await file.read(pickle, 0, compressed, dataStart);
        return stepFromPickle(pickle);
      }
      at += 46 + nameLength + extraLength + commentLength;
    }
    return null;
  } finally {
    await file.close();
  }
}
