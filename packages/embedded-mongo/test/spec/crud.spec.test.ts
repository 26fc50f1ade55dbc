// MongoDB's own CRUD specification tests (mongodb/specifications, source/crud/tests/unified) through the
// official driver, against the embedded store, or against TEST_MONGODB_URI to check the runner itself.
// The spec files are not part of this repository: point MONGO_SPEC_DIR at that folder of a checkout, e.g.
//   MONGO_SPEC_DIR=~/specifications/source/crud/tests/unified npx vitest run packages/embedded-mongo/test/spec
// A test the server under test cannot run (needs a newer server, a replica set, ...) is skipped with the
// reason; one the store refuses loudly (its "not supported by the embedded store" error) is skipped as
// refused; any other difference from the spec fails. The summary lists every test that did not pass.
import fs from 'node:fs';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startTestDatabase, type TestDatabase } from '../support/database.js';
import { driverDeviation } from './unified/driverDeviations.js';
import { loadFiles, schemaSupported, unmetRequirements, type ServerUnderTest } from './unified/files.js';
import { runTest, type Verdict } from './unified/runTest.js';

const specDir = process.env.MONGO_SPEC_DIR;
const verdicts: Array<{ file: string; test: string; verdict: Verdict }> = [];

describe.skipIf(!specDir)('MongoDB CRUD unified spec tests (MONGO_SPEC_DIR)', async () => {
  if (!specDir) return;
  const files = loadFiles(specDir);
  let database: TestDatabase;
  let internal: MongoClient;
  let server: ServerUnderTest;
  beforeAll(async () => {
    database = await startTestDatabase();
    internal = await MongoClient.connect(database.uri);
    server = await describeServer(internal);
  });
  afterAll(async () => {
    await internal?.close();
    await database?.close();
    report();
  });

  for (const file of files) {
    describe(file.file, () => {
      for (const test of file.tests) {
        it(test.description, async (context) => {
          const verdict = verdictBeforeRunning(file, test) ?? (await runTest(file, test, database.uri, internal));
          verdicts.push({ file: file.file, test: test.description, verdict });
          if (verdict.status === 'failed') throw new Error(verdict.reason);
          if (verdict.status !== 'passed') context.skip(`${verdict.status}: ${verdict.reason}`);
        });
      }
    });
  }

  function verdictBeforeRunning(file: (typeof files)[number], test: (typeof files)[number]['tests'][number]): Verdict | undefined {
    if (!schemaSupported(file)) return { status: 'skipped', reason: `schema version ${file.schemaVersion}` };
    const unmet = unmetRequirements(file.runOnRequirements, server) ?? unmetRequirements(test.runOnRequirements, server);
    if (unmet) return { status: 'skipped', reason: unmet };
    if (test.skipReason) return { status: 'skipped', reason: `skipReason: ${test.skipReason}` };
    const deviation = driverDeviation(file.file, test.description);
    if (deviation) return { status: 'skipped', reason: `driver: ${deviation}` };
    return undefined;
  }
});

async function describeServer(client: MongoClient): Promise<ServerUnderTest> {
  const admin = client.db('admin');
  const build = await admin.command({ buildInfo: 1 });
  const hello = await admin.command({ hello: 1 });
  const topology = hello.msg === 'isdbgrid' ? 'sharded' : hello.setName ? 'replicaset' : 'single';
  const parameters = await admin.command({ getParameter: '*' }).catch(() => ({}));
  return { version: (build.versionArray as number[]).slice(0, 3).map(Number), topology, parameters };
}

function report(): void {
  const count = (status: Verdict['status']) => verdicts.filter((entry) => entry.verdict.status === status).length;
  const lines = [`CRUD spec: ${count('passed')} passed, ${count('failed')} failed, ${count('refused')} refused, ${count('skipped')} skipped (of ${verdicts.length})`];
  for (const status of ['failed', 'refused', 'skipped'] as const) {
    const reasons = new Map<string, string[]>();
    for (const { file, test, verdict } of verdicts) {
      if (verdict.status !== status) continue;
      const reason = 'reason' in verdict ? verdict.reason : '';
      const key = status === 'skipped' ? reason : `${file} — ${test}: ${reason}`;
      reasons.set(key, [...(reasons.get(key) ?? []), `${file} — ${test}`]);
    }
    if (reasons.size === 0) continue;
    lines.push(`\n${status}:`);
    for (const [reason, tests] of reasons) lines.push(status === 'skipped' ? `  ${tests.length} × ${reason}` : `  ${reason}`);
  }
  console.log(lines.join('\n'));
  if (process.env.MONGO_SPEC_REPORT) fs.writeFileSync(process.env.MONGO_SPEC_REPORT, JSON.stringify(verdicts, null, 2));
}
