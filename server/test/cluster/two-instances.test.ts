import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { startCluster, type Cluster } from '../../../scripts/lib/cluster';
import { WRITE_HEADERS, connectTo, openAllDay, signedInStaff, verifiedDrivers, type ClusterDriver, type ClusterStaff } from '../../../scripts/lib/cluster-people';
import { openSse } from '../../../scripts/lib/sse-reader';
import { disconnectDatabase } from '../../src/platform/database';
import { PENGJIANG, QUALIFYING_ANSWERS } from '../cases/fixtures';
import { TEST_LOG_DIR } from '../harness';

/**
 * Two processes of the real server behind HAProxy (round robin, no stickiness), sharing the database
 * and Redis: a console's queue stream and a phone's long poll held through the balancer on one
 * instance hear what a request served by the other instance changed; the staff cookie and the
 * driver's token work on both; an instance stopped under traffic costs no request.
 */
const LONG_POLL_SECONDS = 8;

interface Answer {
  status: number;
  body: any;
  servedBy: string;
  ms: number;
}

describe('two instances behind a load balancer', () => {
  let cluster: Cluster;
  let dataDir: string;
  let desk: ClusterStaff;
  let drivers: ClusterDriver[];
  const fresh = () => {
    const driver = drivers.shift();
    if (!driver) throw new Error('the pre-made drivers ran out');
    return driver;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'qh-cluster-'));
    cluster = await startCluster({
      instances: 2,
      dataDir,
      mongodbUri: process.env.TEST_MONGODB_URI!,
      dbName: `cluster_${randomBytes(3).toString('hex')}`,
      logDir: TEST_LOG_DIR,
      logPrefix: `cluster-${process.pid}`,
      env: { PASSWORD_HASH_COST: '10', LONG_POLL_SECONDS: String(LONG_POLL_SECONDS), QUEUE_STREAM_HEARTBEAT_MS: '1000', SHUTDOWN_GRACE_MS: '5000' },
    });
    await connectTo(cluster);
    await openAllDay('two-instances-test');
    desk = await signedInStaff(cluster, { username: 'cluster-desk' });
    drivers = await verifiedDrivers(cluster, 24);
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await disconnectDatabase();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  /** A request through the balancer. */
  function send(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Answer> {
    return sendAt(cluster.url, method, path, headers, body);
  }

  async function sendAt(base: string, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Answer> {
    const started = Date.now();
    const res = await fetch(base + path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, servedBy: res.headers.get('x-served-by') ?? '', ms: Date.now() - started };
  }

  /** Round robin: after a request served by `id`, the next one goes to the other instance. */
  async function nextGoesTo(id: string) {
    for (let i = 0; i < 4; i++) if ((await send('GET', '/healthz', {})).servedBy !== id) return;
    throw new Error('the balancer does not alternate');
  }

  async function report(driver: ClusterDriver) {
    const safety = await send('POST', '/api/v1/safety-checks', driver.auth, { hazardLightsOn: true, warningTrianglePlaced: true, peopleInSafePlace: true });
    expect(safety.status).toBe(201);
    const reported = await send('POST', '/api/v1/cases', { ...driver.auth, 'idempotency-key': randomUUID() }, {
      safetyCheckId: safety.body.safetyCheckId,
      location: { ...PENGJIANG, coordType: 'gcj02', accuracyM: 10 },
      answers: QUALIFYING_ANSWERS,
      plate: '粤J12345',
    });
    expect(reported.status).toBe(201);
    return reported;
  }

  it('alternates between the instances, and the staff cookie and the driver token work on both', async () => {
    const ids = new Set(cluster.instances.map((s) => s.servedBy()));
    expect(ids.size).toBe(2);
    const driver = fresh();
    const answers: Answer[] = [];
    for (let i = 0; i < 3; i++) {
      answers.push(await send('GET', '/api/v1/queue', desk.headers));
      answers.push(await send('GET', '/api/v1/cases/current', driver.auth));
    }
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    // Each request to the other instance than the one before: sessions need no stickiness.
    for (let i = 1; i < answers.length; i++) expect(answers[i]!.servedBy).not.toBe(answers[i - 1]!.servedBy);
    expect(new Set(answers.map((a) => a.servedBy))).toEqual(ids);
  });

  it("keeps a console's queue stream open through the balancer and pushes a case reported through the other instance", async () => {
    const stream = await openSse(`${cluster.url}/api/v1/queue/stream`, desk.headers);
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toContain('text/event-stream');
      const holder = stream.headers.get('x-served-by')!;
      await stream.next((e) => e.event === 'queue', 'the first snapshot');

      await nextGoesTo(holder); // the safety check goes to the holder, the report to the other
      const reported = await report(fresh());
      expect(reported.servedBy).not.toBe(holder);
      await stream.next((e) => e.event === 'queue' && (e.data as any).items.some((i: any) => i.caseId === reported.body.caseId), 'the case reported elsewhere', 5000);
      expect(stream.ended()).toBe(false);
    } finally {
      stream.close();
    }
  });

  it("answers a phone's long poll held on one instance when the desk acts through the other, and holds an idle one for its whole wait", async () => {
    const a = fresh();
    const b = fresh();
    const idleDriver = fresh();
    const reported = await report(a);
    const caseId = reported.body.caseId as string;
    expect((await send('POST', '/api/v1/cases/join', b.auth, { code: reported.body.joinCode, plate: '粤J20002', factsConfirmed: true })).status).toBe(200);
    expect((await send('POST', `/api/v1/desk/cases/${caseId}/answer`, { ...desk.headers, ...WRITE_HEADERS }, {})).status).toBe(200);

    // A queued case nobody touches: its reporter's poll is held the whole LONG_POLL_SECONDS, then answered unchanged.
    const idle = await report(idleDriver);
    const idleView = await send('GET', `/api/v1/cases/${idle.body.caseId}/call`, idleDriver.auth);
    expect(idleView.status).toBe(200);
    const idlePoll = send('GET', `/api/v1/cases/${idle.body.caseId}/call?since=${idleView.body.rev}`, idleDriver.auth);
    // Lets the idle poll take its turn at the balancer before the next request is sent.
    await new Promise((r) => setTimeout(r, 200));

    const view = await send('GET', `/api/v1/cases/${caseId}/call`, a.auth);
    expect(view.status).toBe(200);
    await nextGoesTo(view.servedBy);
    const poll = send('GET', `/api/v1/cases/${caseId}/call?since=${view.body.rev}`, a.auth);
    await new Promise((r) => setTimeout(r, 300));
    const shot = await send('POST', `/api/v1/desk/cases/${caseId}/shot-requests`, { ...desk.headers, ...WRITE_HEADERS }, { party: 'A', kind: 'plate' });
    expect(shot.status).toBe(201);
    const woken = await poll;
    expect(woken.status).toBe(200);
    expect(woken.servedBy).not.toBe(shot.servedBy);
    // Woken by the other instance's change, well before the poll's own time-out.
    expect(woken.ms).toBeLessThan((LONG_POLL_SECONDS - 3) * 1000);
    expect(woken.body.rev).toBeGreaterThan(view.body.rev);
    expect(woken.body.pendingShots).toHaveLength(1);

    const held = await idlePoll;
    expect(held.status).toBe(200);
    expect(held.ms).toBeGreaterThanOrEqual(LONG_POLL_SECONDS * 1000 - 500);
    expect(held.body.rev).toBe(idleView.body.rev);
  }, 40_000);

  /** A request straight to one instance (not through the balancer). */
  const sendTo = (instance: number, method: string, path: string, headers: Record<string, string>, body?: unknown) =>
    sendAt(cluster.instances[instance]!.url, method, path, headers, body);

  /** Asks until `done` holds, for at most `withinMs` (hints travel through Redis: a few ms, not at once). */
  async function askUntil(ask: () => Promise<Answer>, done: (a: Answer) => boolean, withinMs: number): Promise<{ answer: Answer; afterMs: number }> {
    const started = Date.now();
    for (;;) {
      const answer = await ask();
      if (done(answer) || Date.now() - started > withinMs) return { answer, afterMs: Date.now() - started };
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it("refuses a driver's token on the other instance as soon as they log out through one (the revocation is a hint, not a 30 s wait)", async () => {
    const driver = fresh();
    // Instance 1 has read that the session is live (it keeps that for 30 s).
    expect((await sendTo(1, 'GET', '/api/v1/cases/current', driver.auth)).status).toBe(200);
    expect((await sendTo(1, 'GET', '/api/v1/cases/current', driver.auth)).status).toBe(200);
    expect((await sendTo(0, 'POST', '/api/v1/auth/logout', driver.auth, { refreshToken: driver.refreshToken })).status).toBe(200);
    // The instance that revoked it knows at once.
    expect((await sendTo(0, 'GET', '/api/v1/cases/current', driver.auth)).body.code).toBe('TOKEN_REVOKED');
    const { answer, afterMs } = await askUntil(() => sendTo(1, 'GET', '/api/v1/cases/current', driver.auth), (a) => a.status === 401, 2000);
    expect([answer.status, answer.body.code]).toEqual([401, 'TOKEN_REVOKED']);
    expect(afterMs).toBeLessThan(2000);
  });

  it("shows a change made through one instance in the other's next queue read (its desk read is forgotten on the hint)", async () => {
    const before = await sendTo(1, 'GET', '/api/v1/queue', desk.headers);
    expect(before.status).toBe(200);
    const driver = fresh();
    const safety = await sendTo(0, 'POST', '/api/v1/safety-checks', driver.auth, { hazardLightsOn: true, warningTrianglePlaced: true, peopleInSafePlace: true });
    const reported = await sendTo(0, 'POST', '/api/v1/cases', { ...driver.auth, 'idempotency-key': randomUUID() }, {
      safetyCheckId: safety.body.safetyCheckId,
      location: { ...PENGJIANG, coordType: 'gcj02', accuracyM: 10 },
      answers: QUALIFYING_ANSWERS,
      plate: '粤J12345',
    });
    expect(reported.status).toBe(201);
    const listed = (a: Answer) => (a.body.items as { caseId: string }[]).some((i) => i.caseId === reported.body.caseId);
    // Kept reads last a second; the hint makes it well under that.
    const { answer, afterMs } = await askUntil(() => sendTo(1, 'GET', '/api/v1/queue', desk.headers), listed, 600);
    expect(listed(answer)).toBe(true);
    expect(afterMs).toBeLessThan(600);
  });

  it('serves everything from the other instance once one is stopped, without a failed request', async () => {
    // A console's stream on the instance about to stop: graceful shutdown ends it, and the console reconnects.
    let onStopping = await openSse(`${cluster.url}/api/v1/queue/stream`, desk.headers);
    const survivor = cluster.instances.find((s) => s.servedBy() !== onStopping.headers.get('x-served-by'))!;
    const stopping = cluster.instances.find((s) => s !== survivor)!;
    await onStopping.next((e) => e.event === 'queue', 'the first snapshot');

    const counts = { sent: 0, ok: 0, retried: 0, failed: 0 };
    const failures: string[] = [];
    const served: { at: number; by: string }[] = [];
    /** As the mini-program and the console do: a network failure or a 502/503/504 is tried again after 500 ms, then 1.5 s. */
    const asAClientWould = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
      counts.sent++;
      for (const delay of [500, 1500, null]) {
        let answer: Answer | null = null;
        try {
          answer = await send(method, path, headers, body);
        } catch {
          // no answer at all
        }
        if (answer && ![502, 503, 504].includes(answer.status)) {
          served.push({ at: Date.now(), by: answer.servedBy });
          if (answer.status < 300) counts.ok++;
          else failures.push(`${method} ${path} → ${answer.status} ${JSON.stringify(answer.body)}`);
          return answer;
        }
        if (delay === null) break;
        counts.retried++;
        await new Promise((r) => setTimeout(r, delay));
      }
      counts.failed++;
      failures.push(`${method} ${path}: no answer`);
      return null;
    };

    const pollers = drivers.splice(0, 4);
    const reporters = drivers.splice(0, 12);
    let stopAt = 0;
    const until = Date.now() + 6000;
    const worker = async (driver: ClusterDriver) => {
      while (Date.now() < until) {
        await asAClientWould('GET', '/api/v1/cases/current', driver.auth);
        await asAClientWould('GET', '/api/v1/queue', desk.headers);
        const reporter = reporters.shift();
        if (reporter) {
          const key = randomUUID();
          const safety = await asAClientWould('POST', '/api/v1/safety-checks', reporter.auth, { hazardLightsOn: true, warningTrianglePlaced: true, peopleInSafePlace: true });
          if (safety) {
            await asAClientWould('POST', '/api/v1/cases', { ...reporter.auth, 'idempotency-key': key }, {
              safetyCheckId: safety.body.safetyCheckId,
              location: { ...PENGJIANG, coordType: 'gcj02', accuracyM: 10 },
              answers: QUALIFYING_ANSWERS,
              plate: '粤J12345',
            });
          }
        }
      }
    };
    const traffic = Promise.all(pollers.map(worker));
    await new Promise((r) => setTimeout(r, 1500));
    stopAt = Date.now();
    await stopping.stop(); // SIGTERM: drains, closes its streams
    await traffic;

    expect(failures).toEqual([]);
    expect(counts.failed).toBe(0);
    expect(counts.ok).toBe(counts.sent);
    // Once the balancer's health check has noticed (two checks 300 ms apart), only the survivor answers.
    const settled = served.filter((s) => s.at > stopAt + 1500);
    expect(settled.length).toBeGreaterThan(10);
    expect(new Set(settled.map((s) => s.by))).toEqual(new Set([survivor.servedBy()]));

    // The stream on the stopped instance was closed, and the console's reconnect lands on the survivor.
    await onStopping.done;
    expect(onStopping.ended()).toBe(true);
    onStopping = await openSse(`${cluster.url}/api/v1/queue/stream`, desk.headers);
    expect(onStopping.status).toBe(200);
    expect(onStopping.headers.get('x-served-by')).toBe(survivor.servedBy());
    await onStopping.next((e) => e.event === 'queue', 'a snapshot from the survivor');
    onStopping.close();
    process.stdout.write(`two instances, one stopped under traffic: ${JSON.stringify(counts)}\n`);
  }, 30_000);
});
