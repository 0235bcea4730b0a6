/** The checkpoints vigil saw the job write. */

import { num, when } from './format.ts';
import type { RunDetail } from './types.ts';

export function CheckpointsTable({ checkpoints }: { checkpoints: RunDetail['checkpoints'] }) {
  if (checkpoints.length === 0) return null;
  return (
    <section>
      <h2>Checkpoints</h2>
      <table>
        <thead>
          <tr>
            <th>Step</th>
            <th>Written</th>
            <th>Status</th>
            <th>Path</th>
          </tr>
        </thead>
        <tbody>
          {checkpoints.map((checkpoint) => (
            <tr key={`${checkpoint.path}@${checkpoint.at}`}>
              <td class="num">{num(checkpoint.step)}</td>
              <td class="mono">{when(checkpoint.at)}</td>
              <td>{checkpoint.status}</td>
              <td class="mono">{checkpoint.path}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
