import { Staff } from '../../src/staff/staff.model';
import { createStaff } from '../../src/staff/staff.service';
import { HttpClient } from '../http';
import { startTestServer, type TestServer } from '../harness';
import { DURING_HOURS, PENGJIANG, pointIn, report, seedBrigades, verifiedDriver } from './fixtures';

/** Reads a server-sent-events response: each `event: queue` as parsed JSON, in order. */
async function openStream(t: TestServer, cookie: string) {
  const controller = new AbortController();
  const response = await fetch(`${t.url}/api/v1/queue/stream`, { headers: { cookie }, signal: controller.signal });
  const events: any[] = [];
  const waiters: (() => void)[] = [];
  let ended = false;
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          if (block.startsWith('event: queue')) events.push(JSON.parse(block.split('\ndata: ')[1]!));
          waiters.splice(0).forEach((w) => w());
        }
      }
    } catch {
      // aborted
    }
    ended = true;
    waiters.splice(0).forEach((w) => w());
  })();
  const next = async (predicate: (e: any) => boolean, what: string) => {
    for (let i = 0; i < 200; i++) {
      const found = events.find(predicate);
      if (found) return found;
      if (ended) throw new Error(`stream ended before ${what}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
    throw new Error(`no event with ${what}`);
  };
  return { response, events, next, close: () => controller.abort(), ended: () => ended };
}

describe('the live queue: GET /api/v1/queue/stream (server-sent events)', () => {
  let t: TestServer;
  let dispatcherCookie: string;
  beforeAll(async () => {
    t = await startTestServer({ env: { QUEUE_STREAM_HEARTBEAT_MS: '300' } });
    await seedBrigades();
    await createStaff({ username: 'live-pj', displayName: '蓬江接警', role: 'dispatcher', brigadeCode: 'JM-PJ', password: 'live-queue-password' }, t.config.PASSWORD_HASH_COST);
    const login = await fetch(`${t.url}/api/v1/staff/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'live-pj', password: 'live-queue-password' }) });
    dispatcherCookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
  });
  beforeEach(() => {
    t.services.clock = DURING_HOURS;
  });
  afterAll(() => t.close());

  it("pushes the brigade's queue on connect and again when a case is reported, joined or cancelled", async () => {
    const stream = await openStream(t, dispatcherCookie);
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toContain('text/event-stream');
    expect(await stream.next((e) => e.items.length === 0, 'the empty queue')).toMatchObject({ brigade: { code: 'JM-PJ' }, dispatchersOnDuty: 1 });

    const a = await verifiedDriver(t);
    const reported = (await report(a, { plate: '粤J80001' })).body;
    const shown = await stream.next((e) => e.items.some((i: any) => i.caseId === reported.caseId), 'the new case');
    expect(shown.items[0]).toMatchObject({ position: 1, districtName: '蓬江区', vehicleCount: 2, plates: ['粤J80001'], nearby: [], requeued: false });

    // The reporter, meanwhile, sees a dispatcher on duty and a real estimate.
    const view = (await a.get(`/api/v1/cases/${reported.caseId}`)).body;
    expect(view.wait).toMatchObject({ position: 1, dispatchersOnDuty: 1, estimatedSeconds: 0 });

    const b = await verifiedDriver(t);
    await b.post('/api/v1/cases/join', { code: reported.joinCode, plate: '粤J80002', factsConfirmed: true });
    await stream.next((e) => e.items.some((i: any) => i.plates.length === 2), 'the joined plate');

    // A second report 80 m away: both rows point at each other.
    const c = await verifiedDriver(t);
    const second = (await report(c, { at: { lat: PENGJIANG.lat + 0.0007, lng: PENGJIANG.lng } })).body;
    const pair = await stream.next((e) => e.items.length === 2, 'two cases');
    expect(pair.items[1]).toMatchObject({ caseId: second.caseId, position: 2, nearby: [{ caseId: reported.caseId, distanceM: expect.any(Number) }] });

    await a.post(`/api/v1/cases/${reported.caseId}/cancel`, {});
    await stream.next((e) => e.items.length === 1 && e.items[0].caseId === second.caseId, 'the cancellation');
    stream.close();
  });

  it("does not push another brigade's cases", async () => {
    const stream = await openStream(t, dispatcherCookie);
    const first = await stream.next(() => true, 'the first snapshot');
    const elsewhere = await verifiedDriver(t);
    await report(elsewhere, { at: pointIn('440785') });
    // A later change in our own brigade proves the stream is alive; the other case never appears.
    const mine = await verifiedDriver(t);
    const own = (await report(mine, { at: { lat: PENGJIANG.lat - 0.01, lng: PENGJIANG.lng } })).body;
    const latest = await stream.next((e) => e.items.some((i: any) => i.caseId === own.caseId), 'our own case');
    expect(latest.items.every((i: any) => i.districtName === '蓬江区')).toBe(true);
    expect(first.brigade.code).toBe('JM-PJ');
    stream.close();
  });

  it('ends the stream once the session is revoked (logged out elsewhere, account disabled)', async () => {
    const stream = await openStream(t, dispatcherCookie);
    await stream.next(() => true, 'the first snapshot');
    await Staff.updateOne({ username: 'live-pj' }, { $inc: { sessionVersion: 1 } });
    for (let i = 0; i < 50 && !stream.ended(); i++) await new Promise((r) => setTimeout(r, 100));
    expect(stream.ended()).toBe(true);
    const again = await fetch(`${t.url}/api/v1/queue/stream`, { headers: { cookie: dispatcherCookie } });
    expect(again.status).toBe(401);
  });

  it('is closed to drivers and to nobody', async () => {
    expect((await new HttpClient(t.url).get('/api/v1/queue/stream')).status).toBe(401);
    const driver = await verifiedDriver(t);
    expect((await driver.get('/api/v1/queue/stream')).status).toBe(403);
  });
});
