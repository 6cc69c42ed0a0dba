import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, startEmbeddedEngine, type EmbeddedEngine } from '../../scripts/lib/embedded-engine';
import { startTestServer, type TestServer } from './harness';
import { report, seedBrigades, verifiedDriver, DURING_HOURS, type TestDriver } from './cases/fixtures';
import { dispatcher } from './call/call-fixtures';

/**
 * The database engine goes away under a running server (a crash, a failover): every request is
 * answered 503 with a retry hint — never a 500, never "案件不存在" for a case that exists — and the
 * server serves again once the engine is back.
 */
describe('the database down', () => {
  let dataDir: string;
  let engine: EmbeddedEngine;
  let port: number;
  let t: TestServer;
  let driver: TestDriver;
  let caseId: string;
  let desk: Awaited<ReturnType<typeof dispatcher>>;

  beforeAll(async () => {
    // Under the ignored data folder: a PostgreSQL cluster must be reachable by the postgres user (a 0700 temp folder is not).
    dataDir = join(REPO_ROOT, '.data', `db-down-${randomBytes(3).toString('hex')}`);
    engine = await startEmbeddedEngine({ dataDir, fast: true });
    port = Number(new URL(engine.uri).port);
    t = await startTestServer({ mongodbUri: engine.uri, env: { DB_UNAVAILABLE_AFTER_MS: '800' } });
    t.services.clock = DURING_HOURS;
    await seedBrigades();
    driver = await verifiedDriver(t);
    caseId = (await report(driver)).body.caseId;
    desk = await dispatcher(t, 'desk-down');
    expect((await desk.get(caseId)).status).toBe(200);
    await engine.stop();
  });
  afterAll(async () => {
    await t.close().catch(() => undefined);
    await engine.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 503 DATABASE_UNAVAILABLE with Retry-After to drivers and staff, never 404 or 500', async () => {
    const requests = [
      () => driver.get(`/api/v1/cases/${caseId}`),
      () => driver.get(`/api/v1/cases/${caseId}/call`),
      () => driver.get('/api/v1/cases/current'),
      () => desk.get(caseId),
      () => desk.post(caseId, '/answer'),
      () => t.http.get('/api/v1/queue', {}),
    ];
    for (const send of requests) {
      const res = await send();
      // The queue needs a staff session: without one it is 401 whatever the database does.
      if (res.status === 401) continue;
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 503, code: 'DATABASE_UNAVAILABLE' });
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.body.retryAfterSeconds).toBe(5);
    }
    expect(t.logs.filter((l) => l.msg === 'unhandled error')).toEqual([]);
    expect((await t.http.get('/readyz')).status).toBe(503);
  });

  it('serves again once the engine is back', async () => {
    engine = await startEmbeddedEngine({ dataDir, port, fast: true });
    const deadline = Date.now() + 20_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await driver.get(`/api/v1/cases/${caseId}`)).status;
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
    expect((await desk.get(caseId)).body.state).toBe('queued');
  });
});
