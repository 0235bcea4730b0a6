/** What every command needs: the state directory and the store, opened once. */

import { openDatabase } from '../store/database.ts';
import { ensureHome, vigilHome } from '../store/paths.ts';
import { RunStore } from '../store/runs.ts';
import { resolveRun } from '../core/resolve-run.ts';
import { observeRun, type ObservedRun } from '../supervisor/reconcile.ts';
import { ExitCode, VigilError } from '../errors.ts';

export type Context = { store: RunStore; runsDir: string; home: string };

export function openContext(): Context {
  const { home, runsDir, databasePath } = ensureHome(vigilHome());
  return { store: new RunStore(openDatabase(databasePath)), runsDir, home };
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
