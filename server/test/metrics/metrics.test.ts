import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import { createStaff } from '../../src/staff/staff.service';
import { tickLeased } from '../../src/platform/lease';
import { HttpClient } from '../http';
import { startTestServer, type TestServer } from '../harness';
import { DURING_HOURS, insertCase, report, seedBrigades, verifiedDriver, type TestDriver } from '../cases/fixtures';
import { WRITE, caseInCall, randomPng, uploader } from '../evidence/evidence-fixtures';
import { labelValues, parseExposition, sumOf, type Sample } from './exposition';

const METRICS_TOKEN = `scrape-${randomBytes(24).toString('hex')}`;

/**
 * GET /metrics through the real app: who may read it, and that each series moves by what happened —
 * requests by route template, open cases and a brigade's queue, evidence bytes, a vendor's failures.
 */
describe('GET /metrics', () => {
  let t: TestServer;
  let storage: string;
  const password = 'metrics-test-password';

  beforeAll(async () => {
    storage = mkdtempSync(join(tmpdir(), 'qh-metrics-'));
    t = await startTestServer({ env: { METRICS_TOKEN, STORAGE_DIR: storage } });
    await seedBrigades();
    await createStaff({ username: 'metrics-desk', displayName: '陈接警', role: 'dispatcher', brigadeCode: 'JM-PJ', password }, t.config.PASSWORD_HASH_COST);
    await createStaff({ username: 'metrics-ops', displayName: '李运维', role: 'ops', password }, t.config.PASSWORD_HASH_COST);
  });
  afterAll(async () => {
    await t.close();
    rmSync(storage, { recursive: true, force: true });
  });

  const signIn = async (username: string) => {
    const http = new HttpClient(t.url);
    expect((await http.post('/api/v1/staff/login', { username, password })).status).toBe(200);
    return http;
  };

  /** One scrape with the token, parsed. */
  const scrape = async (): Promise<Sample[]> => {
    const res = await t.http.get('/metrics', { token: METRICS_TOKEN });
    expect(res.status).toBe(200);
    return parseExposition(res.body as string);
  };

  describe('who may read it', () => {
    it('refuses a request without credentials (401) and a wrong bearer (401), in the { code, message } shape', async () => {
      const none = await t.http.get('/metrics');
      expect(none.status).toBe(401);
      expect(none.body).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.any(String) });
      const wrong = await t.http.get('/metrics', { token: `${METRICS_TOKEN}x` });
      expect(wrong.status).toBe(401);
      expect(wrong.body).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    });

    it('refuses a dispatcher (403) and a driver (403)', async () => {
      const desk = await signIn('metrics-desk');
      const refused = await desk.get('/metrics');
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ code: 'FORBIDDEN', message: expect.any(String) });
      const driver = await verifiedDriver(t);
      expect((await driver.get('/metrics')).status).toBe(403);
    });

    it('answers the scraper with the token and an ops session, as Prometheus text, never cached', async () => {
      const res = await t.http.get('/metrics', { token: METRICS_TOKEN });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const samples = parseExposition(res.body as string);
      // The default process metrics, under their usual names; ours under qh_.
      expect(sumOf(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
      expect(samples.some((s) => s.name.startsWith('nodejs_'))).toBe(true);
      expect(labelValues(samples, 'qh_open_cases', 'state')).toEqual(new Set(['queued', 'in_call', 'collecting', 'abandoned']));

      const ops = await signIn('metrics-ops');
      const asOps = await ops.get('/metrics');
      expect(asOps.status).toBe(200);
      expect(parseExposition(asOps.body as string).some((s) => s.name === 'qh_http_requests_total')).toBe(true);
    });
  });

  describe('requests', () => {
    it('counts N requests to a route under its template, by N exactly, and times them', async () => {
      const driver = await verifiedDriver(t);
      const route = { method: 'GET', route: '/api/v1/cases/:id' };
      const before = await scrape();
      const N = 7;
      const ids = Array.from({ length: N }, () => String(new Types.ObjectId()));
      for (const id of ids) expect((await driver.get(`/api/v1/cases/${id}`)).status).toBe(404);
      const after = await scrape();
      expect(sumOf(after, 'qh_http_requests_total', { ...route, status: '404' }) - sumOf(before, 'qh_http_requests_total', { ...route, status: '404' })).toBe(N);
      expect(
        sumOf(after, 'qh_http_request_duration_seconds_count', { ...route, status_class: '4xx' }) -
          sumOf(before, 'qh_http_request_duration_seconds_count', { ...route, status_class: '4xx' }),
      ).toBe(N);
      // The raw paths are nowhere in the labels.
      expect(after.some((s) => Object.values(s.labels).some((v) => ids.some((id) => v.includes(id))))).toBe(false);
    });

    it('puts paths no route serves under one "unmatched" label: random URLs add no series', async () => {
      await t.http.get(`/no-such-page/${randomUUID()}`);
      const before = await scrape();
      const junk = Array.from({ length: 5 }, () => `/${randomUUID()}/${randomUUID()}`);
      for (const path of junk) expect((await t.http.get(path)).status).toBe(404);
      const after = await scrape();
      const routes = (samples: Sample[]) => labelValues(samples, 'qh_http_requests_total', 'route');
      // The scrapes themselves are requests too: compare the other routes.
      expect(routes(after)).toEqual(routes(before));
      expect(routes(after).has('unmatched')).toBe(true);
      const unmatched = (samples: Sample[]) => sumOf(samples, 'qh_http_requests_total', { route: 'unmatched' });
      expect(unmatched(after) - unmatched(before)).toBe(junk.length);
      const series = (samples: Sample[]) => samples.filter((s) => s.name.startsWith('qh_http_')).length;
      expect(series(after)).toBe(series(before));
    });
  });

  describe('cases', () => {
    it("shows a reported case among the open cases and in its brigade's queue, with its wait", async () => {
      const start = DURING_HOURS();
      t.services.clock = () => start;
      const before = await scrape();
      expect(sumOf(before, 'qh_queue_length', { brigade: 'JM-PJ' })).toBe(0);
      expect(sumOf(before, 'qh_queue_oldest_wait_seconds', { brigade: 'JM-PJ' })).toBe(0);

      const reported = await report(await verifiedDriver(t));
      expect(reported.status).toBe(201);
      t.services.clock = () => new Date(start.getTime() + 90_000);
      const after = await scrape();
      expect(sumOf(after, 'qh_open_cases', { state: 'queued' }) - sumOf(before, 'qh_open_cases', { state: 'queued' })).toBe(1);
      expect(sumOf(after, 'qh_queue_length', { brigade: 'JM-PJ' })).toBe(1);
      expect(sumOf(after, 'qh_queue_oldest_wait_seconds', { brigade: 'JM-PJ' })).toBe(90);
      // Every brigade has its series, an empty queue reading 0.
      expect(sumOf(after, 'qh_queue_length', { brigade: 'JM-XH' })).toBe(0);
      expect(labelValues(after, 'qh_queue_length', 'brigade').size).toBeGreaterThan(1);
    });

    it('counts who is on duty per brigade and role, 0 where nobody is (cases waiting with nobody to answer)', async () => {
      // A day later: every earlier sign of life is outside the on-duty window.
      const later = new Date(Date.now() + 24 * 3600_000);
      t.services.clock = () => later;
      const onDuty = (s: Sample[], brigade: string, role: string) => sumOf(s, 'qh_staff_on_duty', { brigade, role });
      const before = await scrape();
      expect(onDuty(before, 'JM-PJ', 'dispatcher')).toBe(0);
      const desk = await signIn('metrics-desk');
      expect((await desk.get('/api/v1/queue')).status).toBe(200);
      const after = await scrape();
      expect(onDuty(after, 'JM-PJ', 'dispatcher')).toBe(1);
      expect(onDuty(after, 'JM-PJ', 'officer')).toBe(0);
      expect(onDuty(after, 'JM-XH', 'dispatcher')).toBe(0);
    });

    it('adds the bytes of an uploaded photo to the evidence fixed, by kind', async () => {
      t.services.clock = () => new Date();
      const a: TestDriver = await verifiedDriver(t);
      const b: TestDriver = await verifiedDriver(t);
      const { caseId, shotA } = await caseInCall(a, b);
      const photo = randomPng(96, 96);
      const before = await scrape();
      const { completed } = await uploader(t, a).upload(caseId, photo, { shotRequestId: shotA, kind: 'impact_point', mimeType: 'image/png' });
      expect(completed.status).toBe(200);
      const after = await scrape();
      const bytes = (s: Sample[]) => sumOf(s, 'qh_evidence_fixed_bytes_total', { kind: 'impact_point' });
      expect(bytes(after) - bytes(before)).toBe(photo.length);
      expect(sumOf(after, 'qh_evidence_fixed_total', { kind: 'impact_point' }) - sumOf(before, 'qh_evidence_fixed_total', { kind: 'impact_point' })).toBe(1);
    });
  });

  describe('the 5-minute service level', () => {
    const info = (label: string) => ({ driverName: `司机${label}`, licenceNo: '4407**********1234', plateType: '02', insurer: '人保', policyNo: `P-${label}`, phone: '13700000000' });
    const passed = (party: string) => (['licence', 'vehicle', 'insurance'] as const).map((kind) => ({ party, kind, ok: true, detail: '通过', source: 'test', checkedAt: new Date() }));
    /** A call with everything release needs, answered `answeredSecondsAgo` before now. */
    const readyCall = async (answeredSecondsAgo: number) => {
      const now = Date.now();
      const partyOf = (label: string) => ({ driverId: new Types.ObjectId(), label, plate: `粤J0000${label}`, joinedAt: new Date(now), factsConfirmedAt: new Date(now), via: label === 'A' ? 'report' : 'code', info: info(label) });
      const created = await insertCase({
        state: 'collecting',
        reportedAt: new Date(now - (answeredSecondsAgo + 30) * 1000),
        answeredAt: new Date(now - answeredSecondsAgo * 1000),
        parties: [partyOf('A'), partyOf('B')],
        checks: [...passed('A'), ...passed('B')],
        evidence: [{ id: 'x:000001', seq: 1, kind: 'impact_point', party: 'A', mimeType: 'image/jpeg', size: 1, sha256: 'a'.repeat(64), chainHash: 'b'.repeat(64), fixedAt: new Date(now) }],
      });
      return String(created._id);
    };
    const within = (s: Sample[]) => sumOf(s, 'qh_case_handling_seconds_bucket', { brigade: 'JM-PJ', le: '300' });
    const ended = (s: Sample[], outcome: string) => sumOf(s, 'qh_calls_ended_total', { brigade: 'JM-PJ', outcome });

    it('counts each ended call by outcome, and a release within 300 s of the answer in the le="300" bucket only then', async () => {
      t.services.clock = () => new Date();
      const desk = await signIn('metrics-desk');
      const before = await scrape();
      const quick = await readyCall(120);
      const slow = await readyCall(420);
      const redirected = await readyCall(60);
      for (const id of [quick, slow]) expect((await desk.post(`/api/v1/desk/cases/${id}/release`, undefined, WRITE)).status).toBe(200);
      expect((await desk.post(`/api/v1/desk/cases/${redirected}/redirect`, { reason: '当事人对事实有争议', alternatives: ['call_122'] }, WRITE)).status).toBe(200);
      await t.services.caseListeners.settled();

      const after = await scrape();
      expect(ended(after, 'released') - ended(before, 'released')).toBe(2);
      expect(ended(after, 'redirected') - ended(before, 'redirected')).toBe(1);
      expect(sumOf(after, 'qh_case_handling_seconds_count', { brigade: 'JM-PJ' }) - sumOf(before, 'qh_case_handling_seconds_count', { brigade: 'JM-PJ' })).toBe(2);
      expect(within(after) - within(before)).toBe(1);
    });
  });

  describe('periodic jobs', () => {
    it("shows each job's last run from its lease: when it ended, whether it failed, how long it took", async () => {
      const ended = new Date('2026-11-30T08:00:05Z');
      const clock = () => ended;
      const okName = `metrics-ok-${randomUUID()}`;
      const ok = await tickLeased({ name: okName, everyMs: 60_000, run: async () => undefined }, 'instance-a', clock);
      const failing = `metrics-failing-${randomUUID()}`;
      const failed = await tickLeased({ name: failing, everyMs: 60_000, run: async () => { throw new Error('boom'); } }, 'instance-b', clock);
      expect([ok.ran, failed.ran]).toEqual([true, true]);
      const samples = await scrape();
      expect(sumOf(samples, 'qh_job_last_run_timestamp_seconds', { job: okName })).toBe(ended.getTime() / 1000);
      expect(sumOf(samples, 'qh_job_last_run_failed', { job: okName })).toBe(0);
      expect(sumOf(samples, 'qh_job_last_run_failed', { job: failing })).toBe(1);
      expect(samples.some((s) => s.name === 'qh_job_last_run_duration_seconds' && s.labels.job === failing && s.value >= 0)).toBe(true);
    });
  });

  describe('external clients', () => {
    const errors = (s: Sample[], code: string) => sumOf(s, 'qh_external_client_errors_total', { client: 'wechat', code });

    it('counts a vendor that fails, by how it failed: a 5xx, and its own error code', async () => {
      const before = await scrape();
      const callsBefore = t.fakes.wechat.callsTo('jscode2session').length;
      t.fakes.wechat.failNext('jscode2session', { status: 502, body: 'bad gateway' });
      const down = await t.http.post('/api/v1/auth/wechat-login', { code: t.fakes.wechat.issueCode(`openid-${randomUUID()}`) });
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
      const failedCalls = t.fakes.wechat.callsTo('jscode2session').length - callsBefore;
      expect(failedCalls).toBeGreaterThanOrEqual(1);

      t.fakes.wechat.failNext('jscode2session', { status: 200, body: { errcode: 40029, errmsg: 'invalid code' } });
      expect((await t.http.post('/api/v1/auth/wechat-login', { code: 'not-a-code' })).status).toBeGreaterThanOrEqual(400);

      const after = await scrape();
      expect(errors(after, 'bad_status') - errors(before, 'bad_status')).toBe(failedCalls);
      expect(errors(after, '40029') - errors(before, '40029')).toBe(1);
    });
  });
});
