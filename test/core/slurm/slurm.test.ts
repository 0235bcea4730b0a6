import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchScript, sbatchOptionsWithSignal } from '../../../src/core/slurm/batch-script.ts';
import { describeSlurmJob, slurmJobFrom } from '../../../src/core/slurm/environment.ts';
import { parseSlurmDuration, slurmJobRecord } from '../../../src/core/slurm/job-record.ts';
import { slurmStateDiagnosis } from '../../../src/core/slurm/job-state.ts';
import { progressEtaMs, timeLeftWarning } from '../../../src/core/slurm/time-left.ts';

/** `scontrol show job -o` on the test cluster (Slurm 22.05.8, task/cgroup), verbatim: a batch step killed at --mem=100M. */
const OOM_RECORD =
  'JobId=375647 JobName=wrap UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901759 Nice=0 Account=(null) QOS=(null) JobState=OUT_OF_MEMORY Reason=OutOfMemory Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:125 RunTime=00:00:00 TimeLimit=00:01:00 TimeMin=N/A SubmitTime=2026-11-30T18:18:52 EligibleTime=2026-11-30T18:18:52 AccrueTime=2026-11-30T18:18:52 StartTime=2026-11-30T18:18:54 EndTime=2026-11-30T18:18:54 Deadline=N/A SuspendTime=None SecsPreSuspend=0 LastSchedEval=2026-11-30T18:18:54 Scheduler=Main Partition=debug AllocNode:Sid=localhost:24458 ReqNodeList=(null) ExcNodeList=(null) NodeList=vm BatchHost=vm NumNodes=1 NumCPUs=1 NumTasks=1 CPUs/Task=1 ReqB:S:C:T=0:0:*:* TRES=cpu=1,mem=100M,node=1,billing=1 Socks/Node=* NtasksPerN:B:S:C=0:0:*:* CoreSpec=* MinCPUsNode=1 MinMemoryNode=100M MinTmpDiskNode=0 Features=(null) DelayBoot=00:00:00 OverSubscribe=OK Contiguous=0 Licenses=(null) Network=(null) Command=(null) WorkDir=/work/wt-slurm StdErr=/dev/null StdIn=/dev/null StdOut=/dev/null Power= ';

test('the Slurm environment becomes a value; outside Slurm, null', () => {
  assert.equal(slurmJobFrom({ PATH: '/bin' }), null);
  const job = slurmJobFrom({
    SLURM_JOB_ID: '1234',
    SLURM_ARRAY_JOB_ID: '1230',
    SLURM_ARRAY_TASK_ID: '4',
    SLURM_JOB_NODELIST: 'node[01-02]',
    SLURM_JOB_NUM_NODES: '2',
    SLURM_NODEID: '1',
    SLURM_PROCID: '3',
    SLURM_RESTART_COUNT: '1',
    SLURM_MEM_PER_NODE: '4096',
  });
  assert.deepEqual(job, {
    jobId: '1234',
    arrayJobId: '1230',
    arrayTaskId: '4',
    nodeList: 'node[01-02]',
    numNodes: 2,
    nodeId: 1,
    procId: 3,
    restartCount: 1,
    memPerNodeMiB: 4096,
  });
  assert.equal(describeSlurmJob(job!), 'job 1234 (array 1230_4) on node[01-02], requeued 1 time');
  assert.equal(slurmJobFrom({ SLURM_JOBID: '7' })?.restartCount, 0);
});

test("Slurm's durations", () => {
  assert.equal(parseSlurmDuration('5'), 5 * 60_000);
  assert.equal(parseSlurmDuration('05:30'), 5 * 60_000 + 30_000);
  assert.equal(parseSlurmDuration('01:02:03'), 3_723_000);
  assert.equal(parseSlurmDuration('1-02'), 26 * 3_600_000);
  assert.equal(parseSlurmDuration('1-02:03:04'), (26 * 3600 + 3 * 60 + 4) * 1000);
  assert.equal(parseSlurmDuration('UNLIMITED'), null);
  assert.equal(parseSlurmDuration('INVALID'), null);
});

test('a captured scontrol record of a job killed for memory reads as host_oom', () => {
  const record = slurmJobRecord(OOM_RECORD);
  assert.equal(record?.state, 'OUT_OF_MEMORY');
  assert.equal(record?.reason, 'OutOfMemory');
  assert.equal(record?.timeLimitMs, 60_000);
  assert.equal(record?.requeue, true);
  assert.equal(record?.restarts, 0);
  assert.equal(record?.endAt, new Date(2026, 10, 30, 18, 18, 54).getTime());
  const diagnosis = slurmStateDiagnosis({ jobId: '4', state: record!.state, source: 'scontrol' });
  assert.equal(diagnosis?.category, 'host_oom');
  assert.equal(diagnosis?.retryable, false);
  assert.equal(diagnosis?.rule, 'slurm-out_of_memory');
  assert.equal(slurmJobRecord('no record here'), null);
});

test('job states map into the taxonomy; states that say nothing of a cause give null', () => {
  const category = (state: string, timeLimitMs: number | null = null) =>
    slurmStateDiagnosis({ jobId: '1', state, source: 'sacct', timeLimitMs })?.category ?? null;
  assert.equal(category('OUT_OF_MEMORY'), 'host_oom');
  assert.equal(category('PREEMPTED'), 'preempted');
  assert.equal(category('NODE_FAIL'), 'preempted');
  assert.equal(category('TIMEOUT'), 'preempted');
  assert.equal(category('CANCELLED by 0'), 'interrupted');
  assert.equal(category('COMPLETED'), null);
  assert.equal(category('FAILED'), null);
  assert.equal(category('RUNNING'), null);
  const timeout = slurmStateDiagnosis({ jobId: '9', state: 'TIMEOUT', source: 'scontrol', timeLimitMs: 3_600_000 });
  assert.match(timeout!.summary, /time limit \(1h/);
  assert.equal(timeout!.retryable, true);
});

test('the time-left warning: one line when the ETA passes the time left, none otherwise', () => {
  assert.equal(progressEtaMs({ step: 100, total: 1100, rate: 2 }), 500_000);
  assert.equal(progressEtaMs({ step: 100, total: null, rate: 2 }), null);
  assert.equal(progressEtaMs({ step: 100, total: 1100, rate: 0 }), null);
  assert.equal(timeLeftWarning(500_000, 600_000), null);
  assert.equal(timeLeftWarning(null, 600_000), null);
  assert.equal(timeLeftWarning(500_000, null), null);
  const line = timeLeftWarning(3_600_000, 600_000);
  assert.ok(line && !line.includes('\n'));
  assert.match(line, /needs about 1h.* leaves 10m/);
});

test("the batch script execs vigil run, with Slurm's notice unless the options ask for their own", () => {
  assert.deepEqual(sbatchOptionsWithSignal(['--time=10'], 'USR1'), ['--time=10', '--signal=B:USR1@180']);
  assert.deepEqual(sbatchOptionsWithSignal(['--signal=B:USR2@60'], 'USR1'), ['--signal=B:USR2@60']);
  const script = batchScript({
    vigil: ['/usr/bin/node', '/opt/vigil/dist/cli/main.js'],
    cwd: '/work/my run',
    runOptions: ['--checkpoints', 'ckpt'],
    command: ['python3', 'train.py', '--resume', '{checkpoint}'],
    sbatchOptions: ['--time=4:00:00'],
    signal: 'USR1',
  });
  assert.match(script, /^#!\/bin\/bash\n#SBATCH --time=4:00:00\n#SBATCH --signal=B:USR1@180\n/);
  assert.match(script, /\ncd '\/work\/my run' \|\| exit 1\n/);
  assert.match(
    script,
    /\nexec \/usr\/bin\/node \/opt\/vigil\/dist\/cli\/main.js run --checkpoints ckpt -- python3 train.py --resume '\{checkpoint\}'\n$/,
  );
});
