/** Run ids: 12 lowercase hex digits, random, so any short prefix is likely unique (as with git and docker). */
export function newRunId(randomBytes: Uint8Array): string {
  return Array.from(randomBytes.slice(0, 6), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
