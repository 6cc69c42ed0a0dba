import { randomBytes, randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { startFakes, type RunningFakes } from '../../fakes';
import { ensureDefaultBrigades } from '../../src/brigades/default-brigades';
import { caseIdFor } from '../../src/cases/case-report.service';
import { CaseEvent, caseEventId } from '../../src/cases/case-event.model';
import { Case, OPEN_STATES, isActive, isOpen } from '../../src/cases/case.model';
import { OpenCase } from '../../src/cases/open-case.model';
import { connectDatabase, disconnectDatabase } from '../../src/platform/database';
import { PENGJIANG, QUALIFYING_ANSWERS } from '../cases/fixtures';
import { freePort, killHard, startServerProcess, type ServerProcess } from './server-process';
import { send as request, untilAnswered as retried, type Answer } from '../../../scripts/chaos/http';
import { Ledger } from '../../../scripts/chaos/ledger';
import { identityWriter, openAllDay } from '../../../scripts/lib/cluster-people';

/**
 * Short chaos run (bounded: a few seconds): drivers report and cancel cases concurrently with
 * idempotency keys, retrying every request that got no answer; the server is killed with SIGKILL
 * mid-run and restarted on the same port. Afterwards every acknowledged report is in the database
 * exactly once, no key made two cases, and no case is stuck (its open_cases row in step with it).
 */
const CLIENTS = 8;
const RUN_MS = 4_000;
const KILL_AT_MS = 1_500;

interface Driverish {
  id: string;
  token: string;
}

describe('chaos: kill -9 under concurrent reports', () => {
  let fakes: RunningFakes;
  let env: Record<string, string>;
  let base: string;
  let server: ServerProcess | null = null;
  const dbName = `chaos_${randomBytes(3).toString('hex')}`;

  beforeAll(async () => {
    fakes = await startFakes();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = { ...fakes.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', PORT: String(port), MONGODB_URI: process.env.TEST_MONGODB_URI!, MONGODB_DB: dbName, DB_UNAVAILABLE_AFTER_MS: '1500' };
    await connectDatabase(process.env.TEST_MONGODB_URI!, dbName);
    await ensureDefaultBrigades();
    // Open all day, so the run does not depend on the hour CI happens to run at.
    await openAllDay('chaos-test');
    server = await startServerProcess(env);
  });
  afterAll(async () => {
    if (server) await killHard(server);
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await disconnectDatabase();
    await fakes.stop();
  });

  const markVerified = identityWriter({}, '混沌');
  async function driver(): Promise<Driverish> {
    const login = await send('POST', '/api/v1/auth/wechat-login', { code: fakes.wechat.issueCode(`chaos-${randomUUID()}`) });
    const id = login.body.driver.id as string;
    await markVerified(id);
    return { id, token: login.body.accessToken as string };
  }

  /** The chaos clients' request (scripts/chaos/http.ts), JSON in and out. */
  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => request(base, method, path, { json: body ?? {}, headers, timeoutMs: 5_000 });

  /** Sends until there is an answer that is not a 5xx (a dead server, a restart, the database waking): the chaos clients' retry loop. */
  async function untilAnswered(ledger: Ledger, attempt: () => Promise<Answer>, deadline: number) {
    return (await retried(ledger, 'report', attempt, deadline)).answer;
  }

  it('loses nothing, duplicates nothing, leaves nothing stuck', async () => {
    const drivers = await Promise.all(Array.from({ length: CLIENTS }, () => driver()));
    const ledger = new Ledger();
    const counts = ledger.counts.report;
    const acknowledged: { driverId: string; key: string; caseId: string }[] = [];
    const started = Date.now();
    const stopAt = started + RUN_MS;
    const giveUpAt = stopAt + 40_000;
    // Past RUN_MS too until a second after the restart: on a busy machine the restart alone can take longer than the run.
    let restartedAt = Infinity;
    const keepGoing = () => Date.now() < stopAt || Date.now() < restartedAt + 1000;

    const client = async (d: Driverish) => {
      const auth = { authorization: `Bearer ${d.token}` };
      while (keepGoing()) {
        const safety = await untilAnswered(ledger, () => send('POST', '/api/v1/safety-checks', { hazardLightsOn: true, warningTrianglePlaced: true, peopleInSafePlace: true }, auth), giveUpAt);
        if (!safety || safety.status !== 201) break;
        const key = randomUUID();
        counts.sent++;
        const body = { safetyCheckId: safety.body.safetyCheckId, location: { ...PENGJIANG, coordType: 'gcj02', accuracyM: 10 }, answers: QUALIFYING_ANSWERS, plate: '粤J12345' };
        // The same key on every retry: that is what makes a retry safe.
        const reported = await untilAnswered(ledger, () => send('POST', '/api/v1/cases', body, { ...auth, 'idempotency-key': key }), giveUpAt);
        if (!reported) {
          counts.unanswered++;
          break;
        }
        expect([200, 201]).toContain(reported.status);
        counts.acknowledged++;
        acknowledged.push({ driverId: d.id, key, caseId: reported.body.caseId });
        const cancelled = await untilAnswered(ledger, () => send('POST', `/api/v1/cases/${reported.body.caseId}/cancel`, {}, auth), giveUpAt);
        if (!cancelled || cancelled.status !== 200) break;
      }
    };

    const running = Promise.all(drivers.map(client));
    await new Promise((r) => setTimeout(r, KILL_AT_MS));
    await killHard(server!);
    await new Promise((r) => setTimeout(r, 300));
    server = await startServerProcess(env);
    restartedAt = Date.now();
    await running;

    // Lost: acknowledged, but not in the database (or not the case that was acknowledged).
    let lost = 0;
    for (const ack of acknowledged) {
      const c = await Case.findById(caseIdFor(ack.driverId, ack.key)).lean();
      if (!c || String(c._id) !== ack.caseId) lost++;
    }
    // Duplicated: one key, two cases; or a driver at the scene of two cases at once.
    const all = await Case.find({ initiatorId: { $in: drivers.map((d) => d.id) } }, { initiatorId: 1, idempotencyKey: 1, state: 1 }).lean();
    const perKey = new Map<string, number>();
    for (const c of all) perKey.set(`${c.initiatorId}:${c.idempotencyKey}`, (perKey.get(`${c.initiatorId}:${c.idempotencyKey}`) ?? 0) + 1);
    const activePerDriver = new Map<string, number>();
    for (const c of all) if (isActive(c.state)) activePerDriver.set(String(c.initiatorId), (activePerDriver.get(String(c.initiatorId)) ?? 0) + 1);
    const duplicated = [...perKey.values()].filter((n) => n > 1).length + [...activePerDriver.values()].filter((n) => n > 1).length;
    // Stuck: a claimed event never applied, or an open_cases row out of step with its case.
    let stuck = 0;
    for (const c of await Case.find({ initiatorId: { $in: drivers.map((d) => d.id) } }).lean()) {
      if (await CaseEvent.exists({ _id: caseEventId(c._id, c.rev + 1) })) stuck++;
      const row = await OpenCase.findById(c._id, { rev: 1 }).lean();
      if (isOpen(c.state) ? !row || row.rev !== c.rev : row) stuck++;
    }
    const rowsWithoutCase = (await OpenCase.find({}, { _id: 1 }).lean()).filter((r) => !all.some((c) => String(c._id) === String(r._id))).length;
    stuck += rowsWithoutCase;

    process.stderr.write(
      `\nchaos: ${CLIENTS} clients for ${RUN_MS / 1000} s, server killed with SIGKILL at ${KILL_AT_MS / 1000} s and restarted: ` +
        `sent ${counts.sent}, acknowledged ${counts.acknowledged}, retried ${counts.retried}, unanswered ${counts.unanswered}, ` +
        `lost ${lost}, duplicated ${duplicated}, stuck ${stuck} (open states checked: ${OPEN_STATES.join('/')})\n`,
    );
    expect(counts.acknowledged).toBeGreaterThan(CLIENTS);
    expect(counts.retried).toBeGreaterThan(0); // the kill really interrupted someone
    expect({ lost, duplicated, stuck, unanswered: counts.unanswered }).toEqual({ lost: 0, duplicated: 0, stuck: 0, unanswered: 0 });
  }, 90_000);

  it('a process killed exactly between a case and its row comes back with the case visible and closable', async () => {
    const d = await driver();
    const auth = { authorization: `Bearer ${d.token}` };
    const safety = await send('POST', '/api/v1/safety-checks', { hazardLightsOn: true, warningTrianglePlaced: true, peopleInSafePlace: true }, auth);
    const body = { safetyCheckId: safety.body.safetyCheckId, location: { ...PENGJIANG, coordType: 'gcj02', accuracyM: 10 }, answers: QUALIFYING_ANSWERS, plate: '粤J54321' };
    // This server dies (SIGKILL, by itself) the moment a case has become queued and before its row is written.
    await killHard(server!);
    server = await startServerProcess({ ...env, QH_CRASH_AT: 'case-applied:queued' });
    const key = randomUUID();
    await expect(send('POST', '/api/v1/cases', body, { ...auth, 'idempotency-key': key })).rejects.toThrow();
    expect(await server.exited).toBe('SIGKILL');
    const caseId = caseIdFor(d.id, key);
    expect((await Case.findById(caseId).lean())?.state).toBe('queued');
    expect(await OpenCase.exists({ _id: caseId })).toBeNull();

    // The next start converges before it serves: the case is in its brigade's queue, and its driver can cancel it.
    server = await startServerProcess(env);
    expect((await OpenCase.findById(caseId).lean())?.state).toBe('queued');
    const cancelled = await send('POST', `/api/v1/cases/${String(caseId)}/cancel`, {}, auth);
    expect(cancelled.body.state).toBe('cancelled');
    expect(await OpenCase.exists({ _id: caseId })).toBeNull();
  }, 90_000);
});
