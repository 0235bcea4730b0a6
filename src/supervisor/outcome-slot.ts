/**
 * The last place an attempt's outcome is kept when the database cannot take it: `runs/ID/outcome`,
 * a file whose blocks are reserved when the run starts, so that writing the outcome into it later
 * needs no new disk space (the usual reason the database failed is a full disk). Whoever next
 * reconciles the run (any vigil command, see reconcile.ts) writes it to the database and clears it.
 */

import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ExitStatus } from '../core/exit-status.ts';
import type { StoredStatus } from '../core/run-status.ts';

const SLOT_BYTES = 8192;

export type SlotOutcome = {
  attempt: number;
  status: StoredStatus;
  exit: ExitStatus;
  endedAt: number;
  stopReason: string | null;
  peakRssBytes: number | null;
  flags: string[];
};

export const outcomeSlotPath = (runDir: string) => join(runDir, 'outcome');

/** Reserves the slot (blank, its blocks allocated). False when even that is impossible. */
export function reserveOutcomeSlot(runDir: string): boolean {
  try {
    const fd = openSync(outcomeSlotPath(runDir), 'w', 0o600);
    try {
      // A write that succeeds has its space: allocated, or reserved by delayed allocation (ext4
      // answers ENOSPC at write time), so overwriting it later needs none. No fsync needed here.
      writeSync(fd, Buffer.alloc(SLOT_BYTES, 0x20));
    } finally {
      closeSync(fd);
    }
    return true;
  } catch {
    return false;
  }
}

/** Writes the outcome over the reserved blanks in one write; true when it is on disk. */
export function writeOutcomeSlot(runDir: string, outcome: SlotOutcome): boolean {
  const text = Buffer.from(`${JSON.stringify(outcome)}\n`);
  if (text.length > SLOT_BYTES) return false;
  try {
    const fd = openSync(outcomeSlotPath(runDir), 'r+');
    try {
      writeSync(fd, Buffer.concat([text, Buffer.alloc(SLOT_BYTES - text.length, 0x20)]), 0, SLOT_BYTES, 0);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch {
    return false;
  }
}

/** The outcome kept in the slot, or null when it is blank, missing or unreadable. */
export function readOutcomeSlot(runDir: string): SlotOutcome | null {
  try {
    const text = readFileSync(outcomeSlotPath(runDir), 'utf8').trim();
    return text === '' ? null : (JSON.parse(text) as SlotOutcome);
  } catch {
    return null;
  }
}

/** Blanks the slot once its outcome is in the database. */
export function clearOutcomeSlot(runDir: string): void {
  try {
    const fd = openSync(outcomeSlotPath(runDir), 'r+');
    try {
      writeSync(fd, Buffer.alloc(SLOT_BYTES, 0x20), 0, SLOT_BYTES, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Gone with its run directory: nothing to clear.
  }
}
