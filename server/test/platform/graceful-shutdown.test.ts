import { randomBytes, randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { startFakes, type RunningFakes } from '../../fakes';
import { ensureDefaultBrigades } from '../../src/brigades/default-brigades';
import { connectDatabase, disconnectDatabase } from '../../src/platform/database';
import { createStaff } from '../../src/staff/staff.service';
import { insertCase } from '../cases/fixtures';
import { freePort, killHard, startServerProcess, type ServerProcess } from '../chaos/server-process';
import { waitUntil } from '../wait';

/**
 * SIGTERM under load, on the real entry point as its own process: a shift of staff signing in at once
 * (bcrypt, the audit chain, the lock-out's claims: seconds on a busy two-core box), a console's
 * live-queue stream and a phone's long poll. Everything under way is answered 2xx, the stream gets a reconnect hint and ends, the long
 * poll answers at once instead of after LONG_POLL_SECONDS, /readyz says 503 while the instance still
 * accepts (SHUTDOWN_READINESS_DELAY_MS), then new connections are refused, and the process exits 0
 * well within its grace period.
 */
const PASSWORD = 'correct-horse-battery';
const GRACE_MS = 15_000;
const READINESS_DELAY_MS = 800;
const LOGINS = 12;

describe('graceful shutdown under load', () => {
  const dbName = `drain_${randomBytes(3).toString('hex')}`;
  let fakes: RunningFakes;
  let server: ServerProcess | null = null;
  let base: string;

  beforeAll(async () => {
    fakes = await startFakes();
    await connectDatabase(process.env.TEST_MONGODB_URI!, dbName);
    await ensureDefaultBrigades();
    // One account each (a shift signing in): parallel attempts on one account would meet its lock-out's slots.
    await Promise.all(Array.from({ length: LOGINS + 1 }, (_, i) => createStaff({ username: `disp${i}`, displayName: `接警${i}`, role: 'dispatcher', brigadeCode: 'JM-PJ', password: PASSWORD }, 10)));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = await startServerProcess({
      ...fakes.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      PORT: String(port),
      MONGODB_URI: process.env.TEST_MONGODB_URI!,
      MONGODB_DB: dbName,
      SHUTDOWN_GRACE_MS: String(GRACE_MS),
      SHUTDOWN_READINESS_DELAY_MS: String(READINESS_DELAY_MS),
    });
  }, 60_000);
  afterAll(async () => {
    if (server) await killHard(server);
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await disconnectDatabase();
    await fakes.stop();
  });

  const login = (username: string) => fetch(`${base}/api/v1/staff/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });

  it('finishes what is under way, sends streams and long polls elsewhere, refuses new connections, exits 0', async () => {
    // A dispatcher's console with its live-queue stream open.
    const session = await login(`disp${LOGINS}`);
    expect(session.status).toBe(200);
    const cookie = session.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const stream = await fetch(`${base}/api/v1/queue/stream`, { headers: { cookie } });
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = stream.body!.getReader();
    let streamed = '';
    const streamEnded = (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return Date.now();
        streamed += Buffer.from(value).toString();
      }
    })();
    await waitUntil(() => streamed.includes('event: queue'), 10_000);

    // A phone waiting on its case's long poll (nothing will change: it would wait LONG_POLL_SECONDS).
    const driverLogin = await (await fetch(`${base}/api/v1/auth/wechat-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: fakes.wechat.issueCode(`drain-${randomUUID()}`) }) })).json() as { driver: { id: string }; accessToken: string };
    const driverId = driverLogin.driver.id;
    const now = new Date();
    const c = await insertCase({ initiatorId: driverId, parties: [{ driverId, label: 'A', plate: '粤J12345', joinedAt: now, factsConfirmedAt: now, via: 'report' }] });
    const longPoll = fetch(`${base}/api/v1/cases/${String(c._id)}/call?since=1000`, { headers: { authorization: `Bearer ${driverLogin.accessToken}` } }).then(async (res) => ({ status: res.status, body: await res.json(), at: Date.now() }));

    // A dozen slow requests under way.
    const logins = Array.from({ length: LOGINS }, (_, i) => login(`disp${i}`).then(async (res) => ({ status: res.status, body: (await res.json()) as { staff?: { username: string } }, at: Date.now() })));
    await new Promise((r) => setTimeout(r, 150));
    const sigterm = Date.now();
    server!.child.kill('SIGTERM');

    // Still accepting for READINESS_DELAY_MS, but no longer ready: the balancer stops sending.
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'draining', database: 'up' });
    expect(ready.headers.get('connection')).toBe('close');

    const answered = await Promise.all(logins);
    expect(answered.map((a) => a.status)).toEqual(Array(LOGINS).fill(200));
    expect(answered.map((a) => a.body.staff?.username)).toEqual(Array.from({ length: LOGINS }, (_, i) => `disp${i}`));
    // They really were under way when the signal came.
    expect(answered.filter((a) => a.at > sigterm).length).toBeGreaterThan(0);

    const poll = await longPoll;
    expect(poll.status).toBe(200);
    expect(poll.body).toMatchObject({ caseId: String(c._id), state: 'queued' });
    expect(poll.at - sigterm).toBeLessThan(3_000);

    const ended = await streamEnded;
    expect(ended - sigterm).toBeLessThan(3_000);
    expect(streamed).toMatch(/retry: \d+\nevent: reconnect\ndata: \{"reason":"draining","retryMs":\d+\}\n\n$/);

    // Past the readiness delay: refused at the door. The delay runs on the server's timer, which a loaded
    // machine fires late, so knock until the door closes (well within the grace period), not at one instant.
    await new Promise((r) => setTimeout(r, Math.max(0, sigterm + READINESS_DELAY_MS - Date.now())));
    let late: number | string | undefined;
    for (const giveUpAt = sigterm + GRACE_MS; Date.now() < giveUpAt; await new Promise((r) => setTimeout(r, 50))) {
      late = await fetch(`${base}/healthz`).then(
        (res) => res.status,
        (err: { cause?: { code?: string } }) => err.cause?.code,
      );
      if (late !== 200) break;
    }
    expect(late).toBe('ECONNREFUSED');

    expect(await server!.exited).toBe(0);
    expect(Date.now() - sigterm).toBeLessThan(GRACE_MS);
    expect(server!.output()).toContain('"msg":"stopped"');
    expect(server!.output()).not.toContain('grace period over');
    server = null;
  }, 60_000);
});
