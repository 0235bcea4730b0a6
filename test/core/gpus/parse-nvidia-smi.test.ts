import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseNvidiaSmi } from '../../../src/core/gpus/parse-nvidia-smi.ts';

const UUID0 = 'GPU-3a1f9e02-4c11-4b8a-9e2d-7f6b1c0a55e1';
const UUID1 = 'GPU-04b76a6c-da10-342f-e9f5-5f5684eacb86';
const TWO_H100 = [
  { index: 0, uuid: UUID0, memoryTotalMiB: 81559, memoryUsedMiB: 412 },
  { index: 1, uuid: UUID1, memoryTotalMiB: 81559, memoryUsedMiB: 18560 },
];

const cases: { name: string; output: string; expect: typeof TWO_H100 | RegExp }[] = [
  {
    name: 'csv: header with units, MiB on every figure',
    output: `index, uuid, memory.total [MiB], memory.used [MiB]\n0, ${UUID0}, 81559 MiB, 412 MiB\n1, ${UUID1}, 81559 MiB, 18560 MiB\n`,
    expect: TWO_H100,
  },
  {
    name: 'csv,nounits: header keeps its units, figures are bare',
    output: `index, uuid, memory.total [MiB], memory.used [MiB]\n0, ${UUID0}, 81559, 412\n1, ${UUID1}, 81559, 18560\n`,
    expect: TWO_H100,
  },
  { name: 'csv,noheader', output: `0, ${UUID0}, 81559 MiB, 412 MiB\n1, ${UUID1}, 81559 MiB, 18560 MiB\n`, expect: TWO_H100 },
  { name: 'csv,noheader,nounits', output: `0, ${UUID0}, 81559, 412\n1, ${UUID1}, 81559, 18560`, expect: TWO_H100 },
  {
    name: 'CRLF line ends and a trailing blank line',
    output: `index, uuid, memory.total [MiB], memory.used [MiB]\r\n0, ${UUID0}, 81559 MiB, 412 MiB\r\n1, ${UUID1}, 81559 MiB, 18560 MiB\r\n\r\n`,
    expect: TWO_H100,
  },
  {
    name: 'columns found by name in another order, rows sorted by index',
    output: `memory.used [MiB], index, memory.total [MiB], uuid\n18560 MiB, 1, 81559 MiB, ${UUID1}\n412 MiB, 0, 81559 MiB, ${UUID0}\n`,
    expect: TWO_H100,
  },
  {
    name: '[N/A] and [Not Supported] memory read as 0 (unified memory, some vGPU/MIG setups)',
    output: `index, uuid, memory.total [MiB], memory.used [MiB]\n0, ${UUID0}, [N/A], [N/A]\n1, ${UUID1}, 81559 MiB, [Not Supported]\n`,
    expect: [
      { index: 0, uuid: UUID0, memoryTotalMiB: 0, memoryUsedMiB: 0 },
      { index: 1, uuid: UUID1, memoryTotalMiB: 81559, memoryUsedMiB: 0 },
    ],
  },
  { name: 'a header and no GPU', output: 'index, uuid, memory.total [MiB], memory.used [MiB]\n', expect: [] },
  { name: 'nothing at all', output: '', expect: [] },
  {
    name: 'a header without memory.used',
    output: `index, uuid, memory.total [MiB]\n0, ${UUID0}, 81559 MiB\n`,
    expect: /lacks memory\.used/,
  },
  {
    name: 'the driver error nvidia-smi prints on stdout',
    output: "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.",
    expect: /lacks index/,
  },
  { name: 'a row missing a field', output: `0, ${UUID0}, 81559 MiB\n`, expect: /unexpected line from nvidia-smi: 0, GPU-/ },
  { name: 'a figure in another unit', output: `0, ${UUID0}, 80 GiB, 412 MiB\n`, expect: /unexpected line/ },
  { name: 'a non-numeric index', output: `x, ${UUID0}, 81559 MiB, 412 MiB\n`, expect: /lacks index/ },
];

for (const { name, output, expect } of cases) {
  test(`parseNvidiaSmi: ${name}`, () => {
    const parsed = parseNvidiaSmi(output);
    if (expect instanceof RegExp) {
      assert.equal(parsed.ok, false);
      assert.match(parsed.ok ? '' : parsed.error, expect);
    } else {
      assert.deepEqual(parsed, { ok: true, gpus: expect });
    }
  });
}
