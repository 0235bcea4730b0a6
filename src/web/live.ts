/**
 * What makes the page live without it polling: one watcher of the database for all open pages
 * (SQLite's `data_version` changes when another connection commits: a cheap pragma, asked a few
 * times a second only while a page is open), and per open log, the bytes appended to it since the
 * page's offset (a file watch, with a slow poll behind it: watches miss writes on some file systems).
 */

import { closeSync, type FSWatcher, fstatSync, readSync, watch } from 'node:fs';
import type { Db } from '../store/database.ts';
import { openRunFileForRead } from '../store/run-files.ts';

const DATABASE_POLL_MS = 250;
const LOG_POLL_MS = 500;
const MAX_CHUNK = 256 * 1024;

type Listener = () => void;

export class DatabaseChanges {
  #db: Db;
  #listeners = new Set<Listener>();
  #timer: NodeJS.Timeout | null = null;
  #version = -1;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Calls `listener` after each change another process commits; returns the unsubscribe. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    if (this.#timer === null) {
      this.#version = this.#dataVersion();
      this.#timer = setInterval(() => this.#check(), DATABASE_POLL_MS);
      this.#timer.unref();
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0 && this.#timer !== null) {
        clearInterval(this.#timer);
        this.#timer = null;
      }
    };
  }

  #dataVersion(): number {
    try {
      return this.#db.pragma('data_version', { simple: true }) as number;
    } catch {
      return this.#version; // a locked or vanished database: no news, not an error for the page
    }
  }

  #check(): void {
    const version = this.#dataVersion();
    if (version === this.#version) return;
    this.#version = version;
    for (const listener of this.#listeners) listener();
  }
}

/**
 * Follows a log from `offset`: `onText` gets each appended chunk with the offsets it starts and ends at.
 * Chunks end at a line end (`\n` or a bar's `\r`), so that redaction sees whole lines, unless a
 * line outgrows MAX_CHUNK (then it ends on a whole UTF-8 character).
 */
export function followLog(path: string, offset: number, onText: (text: string, at: number, end: number) => void): () => void {
  let position = offset;
  let carry = Buffer.alloc(0);
  let closed = false;
  const pump = () => {
    if (closed) return;
    let fd: number;
    try {
      fd = openRunFileForRead(path); // never through a link planted in the log's place
    } catch {
      return;
    }
    try {
      const size = fstatSync(fd).size;
      if (size < position) position = size; // truncated by its writer: follow from its new end
      while (position < size && !closed) {
        const buffer = Buffer.alloc(Math.min(MAX_CHUNK, size - position));
        const read = readSync(fd, buffer, 0, buffer.length, position);
        if (read <= 0) break;
        const bytes = Buffer.concat([carry, buffer.subarray(0, read)]);
        const whole = wholeLines(bytes);
        const at = position - carry.length;
        carry = bytes.subarray(whole);
        position += read;
        if (whole > 0) onText(bytes.subarray(0, whole).toString('utf8'), at, at + whole);
      }
    } finally {
      closeSync(fd);
    }
  };
  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(path, { persistent: false }, pump);
  } catch {
    watcher = null; // no watch here: the poll alone
  }
  const timer = setInterval(pump, LOG_POLL_MS);
  timer.unref();
  pump();
  return () => {
    closed = true;
    clearInterval(timer);
    watcher?.close();
  };
}

/** How many leading bytes of `bytes` make whole lines (whole characters when one line is longer than MAX_CHUNK). */
function wholeLines(bytes: Buffer): number {
  const end = Math.max(bytes.lastIndexOf(0x0a), bytes.lastIndexOf(0x0d)) + 1;
  return end > 0 || bytes.length < MAX_CHUNK ? end : wholeCharacters(bytes);
}

/** How many leading bytes of `bytes` end on a character boundary (a multi-byte character cut by a read waits for its rest). */
function wholeCharacters(bytes: Buffer): number {
  const end = bytes.length;
  for (let back = 1; back <= 3 && end - back >= 0; back += 1) {
    const byte = bytes[end - back] as number;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back for the lead
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return need > back ? end - back : end;
  }
  return end;
}
