/** The run repository contract on this machine's SQLite file (a real file per test). */

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/database.ts';
import { RunStore } from '../../src/store/runs.ts';
import { SqliteRuns } from '../../src/store/sqlite-runs.ts';
import { runRepositoryContract } from './run-repository-contract.ts';

runRepositoryContract(
  'SQLite',
  async () => new SqliteRuns(new RunStore(openDatabase(join(mkdtempSync(join(tmpdir(), 'vigil-runs-')), 'vigil.db'), { readonly: false }))),
);
