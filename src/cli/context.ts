/** What every command needs: the state directory and the store, opened once. */

import { openDatabase } from '../store/database.ts';
import { openHome, vigilHome } from '../store/paths.ts';
import { RunStore } from '../store/runs.ts';
import { resolveRun } from '../core/resolve-run.ts';
import { observeRun, type ObservedRun } from '../supervisor/reconcile.ts';
import { ExitCode, VigilError } from '../errors.ts';

export type Context = { store: RunStore; runsDir: string; home: string };

/**
 * `write`: the command must write (a run), so a home it cannot write is refused; otherwise a
 * read-only home is opened read-only. `verify`: check the database's pages first (before a job starts).
 */
export function openContext(options: { write?: boolean; verify?: boolean } = {}): Context {
  const { home, runsDir, databasePath, writable } = openHome(vigilHome(), { write: options.write ?? false });
  const db = openDatabase(databasePath, { readonly: !writable, verify: options.verify ?? false, readOnlyFallback: !options.write });
  return { store: new RunStore(db), runsDir, home };
}

/** No run has this id or name: then it may name a group (`vigil show GROUP`, `vigil stop GROUP`). */
export function namesNoRun(context: Context, query: string): boolean {
  return !context.store.listRunRefs().some((run) => run.id === query || run.name === query);
}

/** RUN as the user typed it (id, prefix, name, `last`) → the run, observed now. */
export function findRun(context: Context, query: string): ObservedRun {
  const resolution = resolveRun(query, context.store.listRunRefs());
  if (resolution.kind === 'none') throw new VigilError(`no run matches "${query}" (see vigil ps --all)`, ExitCode.runNotFound);
  if (resolution.kind === 'ambiguous') {
    const shown = resolution.candidates.slice(0, 5).join(', ');
    throw new VigilError(
      `"${query}" is ambiguous: it matches ${shown}${resolution.candidates.length > 5 ? ', …' : ''}`,
      ExitCode.runAmbiguous,
    );
  }
  const run = context.store.getRun(resolution.id);
  if (!run) throw new VigilError(`run ${resolution.id} vanished while being read`, ExitCode.runNotFound);
  return observeRun(context.store, run);
}
