/**
 * Is a zip archive whole? torch.save writes one since PyTorch 1.6 (zip64 past 4 GiB). A save cut
 * short has no end-of-central-directory record, or a member whose header or data runs past the
 * end. Only headers are read: the cost does not grow with the checkpoint's size.
 */

import type { FileHandle } from 'node:fs/promises';

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const EOCD_MIN = 22;
const MAX_COMMENT = 0xffff;
/** A central directory larger than this is not a checkpoint's (torch writes ~100 bytes per tensor). */
const MAX_CENTRAL_BYTES = 256 * 1024 * 1024;

export type Wholeness = { whole: true } | { whole: false; reason: string };

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

type Directory = { entries: number; size: number; offset: number; end: number };

async function findDirectory(file: FileHandle, fileSize: number): Promise<Directory | string> {
  if (fileSize < EOCD_MIN) return `${fileSize} bytes: too short for a zip archive`;
  const tailStart = Math.max(0, fileSize - EOCD_MIN - MAX_COMMENT);
  const tail = await readAt(file, tailStart, fileSize - tailStart);
  let at = -1;
  for (let i = tail.length - EOCD_MIN; i >= 0; i--)
    if (tail.readUInt32LE(i) === EOCD && i + EOCD_MIN + tail.readUInt16LE(i + 20) === tail.length) {
      at = i;
      break;
    }
  if (at === -1) return 'no end-of-central-directory record (the save did not finish)';
  const eocd = tailStart + at;
  let entries = tail.readUInt16LE(at + 10);
  let size = tail.readUInt32LE(at + 12);
  let offset = tail.readUInt32LE(at + 16);
  let end = eocd;
  if (entries === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    if (at < 20 || tail.readUInt32LE(at - 20) !== ZIP64_LOCATOR) return 'zip64 archive without its locator';
    const zip64At = Number(tail.readBigUInt64LE(at - 20 + 8));
    const record = await readAt(file, zip64At, 56);
    if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_EOCD) return 'zip64 end-of-central-directory record missing';
    entries = Number(record.readBigUInt64LE(32));
    size = Number(record.readBigUInt64LE(40));
    offset = Number(record.readBigUInt64LE(48));
    end = zip64At;
  }
  if (offset + size > end) return `central directory (${offset}+${size}) overlaps its end record at ${end}`;
  if (size > MAX_CENTRAL_BYTES) return `central directory of ${size} bytes: not a checkpoint`;
  return { entries, size, offset, end };
}

/** The zip64 extra field (id 1) holds, in order, whichever of these the fixed fields left at 0xffffffff. */
function zip64Values(extra: Buffer, wanted: boolean[]): (number | null)[] {
  for (let i = 0; i + 4 <= extra.length;) {
    const id = extra.readUInt16LE(i);
    const length = extra.readUInt16LE(i + 2);
    if (id === 1) {
      let cursor = i + 4;
      return wanted.map((want) => {
        if (!want || cursor + 8 > i + 4 + length) return null;
        const value = Number(extra.readBigUInt64LE(cursor));
        cursor += 8;
        return value;
      });
    }
    i += 4 + length;
  }
  return wanted.map(() => null);
}

export async function checkZip(file: FileHandle, fileSize: number): Promise<Wholeness> {
  const directory = await findDirectory(file, fileSize);
  if (typeof directory === 'string') return { whole: false, reason: directory };
  const central = await readAt(file, directory.offset, directory.size);
  if (central.length < directory.size) return { whole: false, reason: 'central directory runs past the end of the file' };
  let cursor = 0;
  for (let n = 0; n < directory.entries; n++) {
    if (cursor + 46 > central.length || central.readUInt32LE(cursor) !== CENTRAL)
      return { whole: false, reason: `central directory entry ${n} of ${directory.entries} is damaged` };
    const nameLength = central.readUInt16LE(cursor + 28);
    const extraLength = central.readUInt16LE(cursor + 30);
    const commentLength = central.readUInt16LE(cursor + 32);
    const name = central.toString('utf8', cursor + 46, cursor + 46 + nameLength);
    const extra = central.subarray(cursor + 46 + nameLength, cursor + 46 + nameLength + extraLength);
    const fixed = [central.readUInt32LE(cursor + 24), central.readUInt32LE(cursor + 20), central.readUInt32LE(cursor + 42)];
    const wide = zip64Values(
      extra,
      fixed.map((v) => v === 0xffffffff),
    );
    const compressed = fixed[1] === 0xffffffff ? wide[1] : fixed[1];
    const localAt = fixed[2] === 0xffffffff ? wide[2] : fixed[2];
    if (compressed == null || localAt == null) return { whole: false, reason: `member ${name}: zip64 sizes missing` };
    const local = await readAt(file, localAt, 30);
    if (local.length < 30 || local.readUInt32LE(0) !== LOCAL)
      return { whole: false, reason: `member ${name}: local header missing at ${localAt}` };
    const dataEnd = localAt + 30 + local.readUInt16LE(26) + local.readUInt16LE(28) + compressed;
    if (dataEnd > directory.offset) return { whole: false, reason: `member ${name}: data runs past the central directory` };
    cursor += 46 + nameLength + extraLength + commentLength;
  }
  return { whole: true };
}
