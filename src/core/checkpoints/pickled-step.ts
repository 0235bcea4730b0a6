/**
 * The step a Lightning checkpoint holds inside (`last.ckpt` has none in its name): its pickled
 * dict maps "global_step" to an int. Pure: scans the pickle bytes for that key as pickle writes
 * it (BINUNICODE "global_step", an optional memo put, then BININT1 / BININT2 / BININT / LONG1)
 * without unpickling anything.
 */

const KEY = new TextEncoder().encode('global_step');

export function stepFromPickle(bytes: Uint8Array): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = indexOf(bytes, KEY, 0); at !== -1; at = indexOf(bytes, KEY, at + 1)) {
    // BINUNICODE 'X' + 4-byte length (11) right before the key; SHORT_BINUNICODE 0x8c + 1-byte length.
    const long = at >= 5 && bytes[at - 5] === 0x58 && view.getUint32(at - 4, true) === KEY.length;
    const short = at >= 2 && bytes[at - 2] === 0x8c && bytes[at - 1] === KEY.length;
    if (!long && !short) continue;
    let i = at + KEY.length;
    if (bytes[i] === 0x71)
      i += 2; // BINPUT n
    else if (bytes[i] === 0x72)
      i += 5; // LONG_BINPUT nnnn
    else if (bytes[i] === 0x94) i += 1; // MEMOIZE (protocol 4)
    const op = bytes[i];
    if (op === 0x4b && i + 1 < bytes.length) return bytes[i + 1] as number; // BININT1
    if (op === 0x4d && i + 2 < bytes.length) return view.getUint16(i + 1, true); // BININT2
    if (op === 0x4a && i + 4 < bytes.length) return view.getInt32(i + 1, true); // BININT
    if (op === 0x8a && i + 1 < bytes.length) return long1(bytes, i + 2, bytes[i + 1] as number); // LONG1
  }
  return null;
}

function long1(bytes: Uint8Array, start: number, length: number): number | null {
  if (length > 6 || start + length > bytes.length) return null;
  let value = 0;
  for (let k = length - 1; k >= 0; k -= 1) value = value * 256 + (bytes[start + k] as number);
  return value;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i <= haystack.length - needle.length; i += 1) {
    for (let j = 0; j < needle.length; j += 1) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
