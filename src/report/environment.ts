/**
 * What is known of the machine and the code that ran: as the run recorded them when it started
 * (src/platform/runtime-environment.ts, src/platform/git-state.ts), or — for an older run that
 * recorded nothing — asked now, and then the report says so.
 */

import { type GitState, gitStateOf } from '../platform/git-state.ts';
import { type RuntimeEnvironment, runtimeEnvironmentOf } from '../platform/runtime-environment.ts';

type Row = { label: string; value: string };

export async function environmentRows(run: {
  command: readonly string[];
  cwd: string;
  gitState?: GitState | null;
  runtimeEnv?: RuntimeEnvironment | null;
}): Promise<Row[]> {
  const recordedGit = run.gitState ?? null;
  const recordedRuntime = run.runtimeEnv ?? null;
  const [runtime, git] = await Promise.all([
    recordedRuntime ?? runtimeEnvironmentOf(run.command, run.cwd),
    recordedGit ?? gitStateOf(run.cwd),
  ]);
  const askedNow = [...(recordedRuntime ? [] : ['python and gpus']), ...(recordedGit ? [] : ['git'])];
  return [
    { label: 'vigil', value: runtime.vigil },
    { label: 'node', value: runtime.node },
    { label: 'host', value: runtime.host },
    ...(runtime.python ? [{ label: 'python', value: runtime.python }] : []),
    ...(runtime.gpus ? [{ label: 'gpus', value: runtime.gpus }] : []),
    gitRow(git, recordedGit !== null),
    {
      label: 'recorded',
      value:
        askedNow.length === 0
          ? 'as the run started'
          : `${askedNow.join(' and ')} asked when the report was made (the run recorded none), not as they were during the run`,
    },
  ];
}

function gitRow(state: GitState | null, recorded: boolean): Row {
  if (state === null) return { label: 'git', value: 'not a git checkout (or git is missing)' };
  const dirty =
    state.changed === null ? 'dirty state unknown' : state.changed === 0 ? 'clean' : `dirty: ${state.changed} changed tracked files`;
  return { label: 'git', value: `${state.commit} (${dirty}, ${recorded ? 'as the run started' : 'as of now'})` };
}
