/** The machine's GPUs beside the queue: which are free for a queued job, which a run holds, how full each is. */

import { Link, runPath } from './router.tsx';
import type { GpuRow } from './types.ts';

export function GpuStrip({ gpus }: { gpus: readonly GpuRow[] }) {
  const free = gpus.filter((gpu) => gpu.free).length;
  return (
    <section class="gpus">
      <h2>
        GPUs{' '}
        <span class="muted">
          {free} of {gpus.length} free
        </span>
      </h2>
      <ul class="gpu-list">
        {gpus.map((gpu) => (
          <li key={gpu.index} class={gpu.free ? 'gpu free' : 'gpu busy'}>
            <strong>GPU {gpu.index}</strong>{' '}
            <span class="muted">
              {gpu.memory_total_mib > 0 ? `${Math.round(gpu.memory_used_mib / 1024)} / ${Math.round(gpu.memory_total_mib / 1024)} GiB` : ''}
            </span>{' '}
            {gpu.run ? <Link href={runPath(gpu.run)}>{gpu.run}</Link> : gpu.free ? 'free' : 'in use by another process'}
          </li>
        ))}
      </ul>
    </section>
  );
}
