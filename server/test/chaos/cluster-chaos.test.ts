import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { startCluster, type Cluster } from '../../../scripts/lib/cluster';
import { REPO_ROOT } from '../../../scripts/lib/embedded-engine';
import { CHAOS_ENV, formatResult, runChaos, type ChaosResult } from '../../../scripts/chaos/run';
import { KINDS } from '../../../scripts/chaos/ledger';
import { verdictFailed, verifyRun } from '../../../scripts/chaos/verify';
import { Case } from '../../src/cases/case.model';
import { Evidence } from '../../src/evidence/evidence.model';
import { disconnectDatabase } from '../../src/platform/database';
import { TEST_LOG_DIR } from '../harness';

/**
 * The short version of `npm run chaos`, the same code (scripts/chaos): 6 driver pairs with their
 * dispatchers report, join, answer, upload photos in chunks and finish cases through HAProxy in front
 * of two instances for 8 s, while one instance, the database engine and Redis are each killed with
 * SIGKILL and restarted. Afterwards every acknowledged request is in the database exactly once, no
 * idempotency key made two cases, every evidence chain verifies, every interrupted upload was resumed
 * to the bytes the client sent, and nothing is stuck. Its own engine (it gets killed), not the suite's.
 */
describe('chaos: kill -9 an instance, the engine and Redis under load through the balancer', () => {
  let cluster: Cluster | undefined;
  const dataDir = join(REPO_ROOT, '.data', `chaos-${process.pid}-${randomBytes(3).toString('hex')}`);

  afterAll(async () => {
    await disconnectDatabase().catch(() => undefined);
    await mongoose.disconnect().catch(() => undefined);
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('loses nothing, duplicates nothing, resumes uploads to the right hash, and every chain verifies', async () => {
    cluster = await startCluster({ instances: 2, dataDir, mongodbUri: process.env.MONGODB_URI, logDir: TEST_LOG_DIR, logPrefix: `chaos-cluster-${process.pid}`, env: CHAOS_ENV });
    const result: ChaosResult = await runChaos(cluster, { clients: 6, seconds: 8 });
    process.stderr.write(`\n${formatResult(result)}\n`);

    const { ledger, verdict } = result;
    expect(result.faults.map((f) => f.part)).toEqual(cluster.engine.external ? ['instance', 'redis'] : ['instance', 'engine', 'redis']);
    for (const kind of KINDS) expect(ledger.counts[kind].acknowledged).toBeGreaterThanOrEqual(6);
    expect(ledger.total('retried')).toBeGreaterThan(0); // the kills really interrupted someone
    expect({ problems: ledger.problems, fiveHundreds: ledger.errors, logged500s: result.serverErrors, details: verdict.details }).toEqual({ problems: [], fiveHundreds: [], logged500s: [], details: [] });
    expect({ unanswered: ledger.total('unanswered'), refused: ledger.total('refused') }).toEqual({ unanswered: 0, refused: 0 });
    const none = Object.fromEntries(KINDS.filter((k) => k !== 'safety').map((k) => [k, 0]));
    expect(verdict.lost).toEqual(none);
    expect(verdict.duplicated).toEqual(none);
    expect({ keysWithTwoCases: verdict.keysWithTwoCases, driversInTwoActiveCases: verdict.driversInTwoActiveCases, stuck: verdict.stuck }).toEqual({ keysWithTwoCases: 0, driversInTwoActiveCases: 0, stuck: 0 });
    expect(verdict.chainsChecked).toBe(new Set(ledger.uploads.map((u) => u.caseId)).size);
    expect(verdict.chainsBroken).toBe(0);
    expect(verdict.uploadsInterrupted).toBeGreaterThan(0);
    expect(verdict.uploadsWrongHash).toBe(0);
    expect(result.failed).toBe(false);

    // The check can fail: one acknowledged case removed and one fixed photo altered behind the server's back.
    const gone = ledger.reports[0]!;
    const altered = ledger.uploads.find((u) => u.caseId !== gone.caseId)!;
    await Case.deleteOne({ _id: gone.caseId });
    await Evidence.updateOne({ sourceId: altered.uploadId }, { $set: { sha256: '0'.repeat(64) } });
    const spoilt = await verifyRun(ledger, cluster.url, result.verifier);
    // With the case gone, every acknowledged step of its round is missing from the database.
    expect(spoilt.lost).toEqual({ report: 1, join: 1, answer: 1, upload: 1, redirect: 1 });
    // The removed case's chain cannot be checked (404), the altered one does not verify.
    expect({ chainsBroken: spoilt.chainsBroken, uploadsWrongHash: spoilt.uploadsWrongHash }).toEqual({ chainsBroken: 2, uploadsWrongHash: 1 });
    expect(verdictFailed(spoilt)).toBe(true);
  }, 150_000);
});
