import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { afterCycle, withPrerequisites } from '../../../src/core/queue/after-graph.ts';

describe('afterCycle', () => {
  const cases: [string, Record<string, string[]>, string[] | null][] = [
    ['none', { a: [], b: ['a'], c: ['a', 'b'] }, null],
    ['itself', { a: ['a'] }, ['a', 'a']],
    ['two', { a: ['b'], b: ['a'] }, ['a', 'b', 'a']],
    ['behind a job that is not in it', { x: ['a'], a: ['b'], b: ['a'] }, ['a', 'b', 'a']],
    ['an unknown name is not a cycle', { a: ['zzz'] }, null],
    ['a diamond is not a cycle', { a: [], b: ['a'], c: ['a'], d: ['b', 'c'] }, null],
  ];
  for (const [name, graph, cycle] of cases) test(name, () => assert.deepEqual(afterCycle(graph), cycle));
});

describe('withPrerequisites', () => {
  test('the names and what they run after, prerequisites first, ties in the graph order', () => {
    const graph = { d: ['b', 'c'], c: ['a'], b: ['a'], a: [], e: [] };
    assert.deepEqual(withPrerequisites(graph, ['d']), ['a', 'c', 'b', 'd']);
    assert.deepEqual(withPrerequisites(graph, ['e', 'b']), ['a', 'b', 'e']);
  });
});
