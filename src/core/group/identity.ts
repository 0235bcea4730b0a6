/**
 * Which group a run belongs to: one training job spread over several machines, each running its
 * own `vigil run`. The group is named by the engine the job already runs in, so that the runs of
 * one job find each other without anyone writing an id down:
 *
 * - `--group ID` (or `group:` in vigil.yaml), or VIGIL_GROUP in the environment;
 * - Slurm: the job (SLURM_JOB_ID; an array task is its own job: SLURM_ARRAY_JOB_ID_TASK);
 * - Kubernetes: an Indexed Job's pods (JOB_COMPLETION_INDEX; the Job's name is the pod's name
 *   less `-INDEX-xxxxx`);
 * - torchrun: the rendezvous id on its command line (`--rdzv-id`), which every node must share.
 *
 * The node is the machine (VIGIL_NODE, Slurm's node name, else the host name); its rank is the
 * node's index in the job when the engine says it (SLURM_NODEID, the completion index, torchrun's
 * `--node-rank`).
 */

export type GroupSource = 'option' | 'environment' | 'slurm' | 'kubernetes' | 'torchrun';

export type GroupMembership = {
  id: string;
  source: GroupSource;
  node: string;
  nodeRank: number | null;
  /** How many nodes the engine says the job has (null: not said). */
  nodes: number | null;
};

export type GroupFacts = {
  option: string | null;
  env: Readonly<Record<string, string | undefined>>;
  command: readonly string[];
  hostname: string;
};

/** A group id is a name people type: letters, digits and `._:@-`, at most 128 characters. */
const GROUP_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

/** `--group ID` and `group:` in vigil.yaml. */
export function parseGroupId(text: string): { value: string } | { error: string } {
  return GROUP_ID.test(text) ? { value: text } : { error: 'expected a group id: letters, digits and ._:@- (at most 128)' };
}

export function groupMembership(facts: GroupFacts): GroupMembership | null {
  const { env } = facts;
  const node = nonEmpty(env.VIGIL_NODE) ?? nonEmpty(env.SLURMD_NODENAME) ?? facts.hostname;
  const explicit = nonEmpty(facts.option) ?? nonEmpty(env.VIGIL_GROUP);
  const engine = slurmGroup(env) ?? kubernetesGroup(env, facts.hostname) ?? torchrunGroup(facts.command);
  if (explicit !== null) {
    return {
      id: explicit,
      source: facts.option ? 'option' : 'environment',
      node,
      nodeRank: integer(env.VIGIL_NODE_RANK) ?? engine?.nodeRank ?? null,
      nodes: engine?.nodes ?? null,
    };
  }
  return engine === null ? null : { ...engine, node };
}

type EngineGroup = Omit<GroupMembership, 'node'>;

function slurmGroup(env: GroupFacts['env']): EngineGroup | null {
  const arrayJob = nonEmpty(env.SLURM_ARRAY_JOB_ID);
  const arrayTask = nonEmpty(env.SLURM_ARRAY_TASK_ID);
  const job = arrayJob !== null && arrayTask !== null ? `${arrayJob}_${arrayTask}` : nonEmpty(env.SLURM_JOB_ID ?? env.SLURM_JOBID);
  if (job === null) return null;
  return {
    id: `slurm-${job}`,
    source: 'slurm',
    nodeRank: integer(env.SLURM_NODEID),
    nodes: integer(env.SLURM_JOB_NUM_NODES ?? env.SLURM_NNODES),
  };
}

function kubernetesGroup(env: GroupFacts['env'], hostname: string): EngineGroup | null {
  const index = integer(env.JOB_COMPLETION_INDEX);
  if (index === null || !env.KUBERNETES_SERVICE_HOST) return null;
  // A Job's pod is named JOB-INDEX-xxxxx (five random characters); its host name is the pod's name.
  const job = new RegExp(`^(.+)-${index}-[a-z0-9]{5}$`).exec(hostname)?.[1] ?? null;
  if (job === null) return null;
  return { id: `k8s-${job}`, source: 'kubernetes', nodeRank: index, nodes: null };
}

function torchrunGroup(command: readonly string[]): EngineGroup | null {
  const id = optionValue(command, ['--rdzv-id', '--rdzv_id']);
  if (id === null) return null;
  const nnodes = optionValue(command, ['--nnodes']);
  // `--nnodes 2` or an elastic range `1:4` (then its upper bound).
  const nodes = nnodes === null ? null : integer(nnodes.split(':').at(-1));
  return { id: `torchrun-${id}`, source: 'torchrun', nodeRank: integer(optionValue(command, ['--node-rank', '--node_rank'])), nodes };
}

/** The value of the first of `names` in an argv, as `--name value` or `--name=value`. */
function optionValue(command: readonly string[], names: readonly string[]): string | null {
  for (let i = 0; i < command.length; i++) {
    const argument = command[i]!;
    for (const name of names) {
      if (argument === name) return nonEmpty(command[i + 1]);
      if (argument.startsWith(`${name}=`)) return nonEmpty(argument.slice(name.length + 1));
    }
  }
  return null;
}

function nonEmpty(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function integer(value: string | null | undefined): number | null {
  return value !== undefined && value !== null && /^\d+$/.test(value.trim()) ? Number(value) : null;
}
