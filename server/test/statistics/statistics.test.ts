import { DateTime } from 'luxon';
import { Types } from 'mongoose';
import { recordDutyHour } from '../../src/staff';
import { brigadeNames } from '../../src/brigades';
import { transition } from '../../src/cases';
import { Case } from '../../src/cases/case.model';
import { Handoff } from '../../src/insurers/handoff.model';
import { handoffSettled } from '../../src/insurers/handoff-listeners';
import { reconcileStatistics } from '../../src/statistics';
import { CaseStat, CaseStatDay, StatsState } from '../../src/statistics/case-stat.model';
import { generateHistory, type GeneratedHistory } from '../../../scripts/demo/history-model';
import { loadHistory } from '../../../scripts/demo/history-load';
import { startTestServer, type TestServer } from '../harness';
import { caseDoc, seedBrigades } from '../cases/fixtures';
import { signedInStaff } from '../decisions/decision-fixtures';
import { parseCsv } from '../audit/parse-csv';
import { expectedFigures } from './expected-figures';

/**
 * The statistics page over a generated two months (the demo generator's own functions, seeded, a
 * quarter of the city's volume), every figure compared with one computed here from the generated
 * documents in plain loops; plus cases placed on purpose at Beijing day boundaries and on a call.
 */
let t: TestServer;
let ops: Awaited<ReturnType<typeof signedInStaff>>;
let history: GeneratedHistory;
let brigades: { code: string; name: string }[];

const FROM = '2026-09-01';
const TO = '2026-10-31';

beforeAll(async () => {
  t = await startTestServer();
  await seedBrigades();
  brigades = await brigadeNames();
  history = generateHistory({ months: 2, seed: 7, until: TO, now: new Date('2026-11-30T04:00:00Z'), volume: 0.25 });
  // Beijing-day edges: 23:30 on 10-15 counts on the 15th; 00:10 on 10-16 (the same UTC date) on the 16th.
  // And one case still on its call (answered: counted as answered, not yet for the 5-minute level).
  const late = caseDoc({ reportedAt: new Date('2026-10-15T23:30:00+08:00'), state: 'cancelled', brigadeCode: 'JM-KP', districtAdcode: '440783', districtName: '开平市', rev: 2 });
  const early = caseDoc({ reportedAt: new Date('2026-10-16T00:10:00+08:00'), state: 'cancelled', brigadeCode: 'JM-KP', districtAdcode: '440783', districtName: '开平市', rev: 2 });
  const onCall = caseDoc({
    reportedAt: new Date('2026-10-16T10:00:00+08:00'), answeredAt: new Date('2026-10-16T10:00:45+08:00'), state: 'in_call', brigadeCode: 'JM-KP', districtAdcode: '440783', districtName: '开平市', rev: 2,
  });
  for (const extra of [late, early, onCall]) {
    extra._id = new Types.ObjectId();
    history.cases.push({ failed: [], redirect: { reason: null, alternatives: [] }, handlingSeconds: null, answeredAt: null, decision: null, deliveredAt: null, review: null, ...extra });
  }
  await loadHistory(history);
  ops = await signedInStaff(t, 'ops', null);
}, 120_000);
afterAll(() => t.close());

const stats = (query: string) => ops.get(`/admin/statistics?${query}`);
const withoutLabels = (body: Record<string, any>) => ({ ...body, redirectReasons: body.redirectReasons.map(({ label: _, ...r }: Record<string, unknown>) => r) });

describe('GET /api/v1/admin/statistics', () => {
  it('answers every figure of two months of the city as computed from the generated cases', async () => {
    const res = await stats(`from=${FROM}&to=${TO}`);
    expect(res.status).toBe(200);
    expect(res.body.range).toEqual({ from: FROM, to: TO, days: 61, brigade: null, timeZone: 'Asia/Shanghai' });
    const expected = expectedFigures(history, { from: FROM, to: TO }, brigades);
    expect(withoutLabels(res.body)).toMatchObject(expected);
    // Sanity of the data set itself, so the comparison above is not between two empty answers.
    expect(res.body.totals.reported).toBeGreaterThan(1000);
    expect(Object.values(res.body.outcomes).every((n) => (n as number) > 0)).toBe(true);
    expect(res.body.reviews.requested).toBeGreaterThan(0);
    expect(res.body.insurerHandoffs.total).toBeGreaterThan(0);
    expect(res.body.serviceLevel.share).toBeGreaterThan(0.5);
    expect(res.body.serviceLevel.share).toBeLessThan(0.9);
    // The outcome buckets hold every case once.
    expect(Object.values(res.body.outcomes).reduce((a: number, b) => a + (b as number), 0)).toBe(res.body.totals.reported);
    expect(res.body.redirectReasons.find((r: { source: string }) => r.source === 'refused').label).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('filters by brigade and by Beijing calendar days (23:30 counts on its own day)', async () => {
    const res = await stats('from=2026-10-16&to=2026-10-20&brigade=JM-KP');
    expect(res.status).toBe(200);
    expect(res.body.range.brigade).toEqual({ code: 'JM-KP', name: brigades.find((b) => b.code === 'JM-KP')!.name });
    expect(withoutLabels(res.body)).toMatchObject(expectedFigures(history, { from: '2026-10-16', to: '2026-10-20', brigade: 'JM-KP' }, brigades));
    expect(res.body.perBrigade.map((b: { brigadeCode: string }) => b.brigadeCode)).toEqual(['JM-KP']);

    const fifteenth = (await stats('from=2026-10-15&to=2026-10-15&brigade=JM-KP')).body;
    const sixteenth = (await stats('from=2026-10-16&to=2026-10-16&brigade=JM-KP')).body;
    const count = (day: string) => history.cases.filter((c) => c.brigadeCode === 'JM-KP' && new Date(c.reportedAt.getTime() + 8 * 3600_000).toISOString().startsWith(day)).length;
    expect(fifteenth.totals.reported).toBe(count('2026-10-15'));
    expect(sixteenth.totals.reported).toBe(count('2026-10-16'));
    expect(fifteenth.perHour[23].reported).toBeGreaterThanOrEqual(1);
    expect(sixteenth.perHour[0].reported).toBeGreaterThanOrEqual(1);
    // The case still on its call: answered, but its 5-minute clock is still running.
    expect(sixteenth.serviceLevel.answered - sixteenth.serviceLevel.eligible).toBe(1);
  });

  it('shows one day\'s arrivals against the dispatchers on duty from the staff duty log', async () => {
    const res = await stats(`from=${FROM}&to=${TO}&brigade=JM-PJ&day=2026-10-09`);
    expect(res.status).toBe(200);
    const expected = expectedFigures(history, { from: FROM, to: TO, brigade: 'JM-PJ', day: '2026-10-09' }, brigades);
    expect(res.body.arrivalsVsDuty).toEqual(expected.arrivalsVsDuty);
    expect(res.body.arrivalsVsDuty.hours[10].dispatchersOnDuty).toBeGreaterThan(0);
    expect(res.body.arrivalsVsDuty.hours[3].dispatchersOnDuty).toBe(0);
  });

  it('counts today\'s dispatchers on duty from the log as it stands (finished days are summed once)', async () => {
    const now = new Date();
    const today = DateTime.fromJSDate(now, { zone: 'Asia/Shanghai' }).toISODate()!;
    const before = (await stats(`from=${today}&to=${today}&brigade=JM-EP&day=${today}`)).body.arrivalsVsDuty.hours;
    await recordDutyHour({ id: String(new Types.ObjectId()), role: 'dispatcher', brigadeCode: 'JM-EP' }, now);
    await recordDutyHour({ id: String(new Types.ObjectId()), role: 'dispatcher', brigadeCode: 'JM-EP' }, now);
    const after = (await stats(`from=${today}&to=${today}&brigade=JM-EP&day=${today}`)).body.arrivalsVsDuty.hours;
    const hour = DateTime.fromJSDate(now, { zone: 'Asia/Shanghai' }).hour;
    expect(after[hour].dispatchersOnDuty).toBe(before[hour].dispatchersOnDuty + 2);
  });

  it('answers zeros, never NaN, for a range with no cases', async () => {
    const res = await stats('from=2025-01-01&to=2025-01-31');
    expect(res.status).toBe(200);
    expect(res.body.totals).toEqual({ reported: 0, refused: 0, queued: 0, answered: 0, released: 0, decided: 0, delivered: 0 });
    expect(res.body.perDay).toHaveLength(31);
    expect(res.body.perHour.every((h: { perDay: number }) => h.perDay === 0)).toBe(true);
    expect(res.body.answerWait).toEqual({ count: 0, p50Seconds: null, p90Seconds: null, meanSeconds: null });
    expect(res.body.serviceLevel.share).toBeNull();
    expect(res.body.reviews.rate).toBeNull();
    // NaN would reach JSON as null where a number belongs: every count and per-day figure is a number.
    const numbers = [...res.body.perDay.map((d: { reported: number }) => d.reported), ...res.body.perWeekday.map((w: { perDay: number }) => w.perDay), ...res.body.arrivalsVsDuty.hours.map((h: { arrivals: number }) => h.arrivals)];
    expect(numbers.every((n) => typeof n === 'number' && Number.isFinite(n))).toBe(true);
  });

  it('defaults to the last 30 days', async () => {
    const res = await stats('');
    expect(res.status).toBe(200);
    expect(res.body.range.days).toBe(30);
  });

  it('refuses a bad range with a code', async () => {
    expect((await stats('from=2026-10-10&to=2026-10-01')).body.code).toBe('STATISTICS_RANGE_INVALID');
    const tooLong = await stats('from=2025-01-01&to=2026-02-05');
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.code).toBe('STATISTICS_RANGE_INVALID');
    for (const bad of ['from=2026-13-01', 'to=2026-02-30', 'from=yesterday', 'brigade=%3Cscript%3E']) {
      const res = await stats(bad);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    expect((await stats(`from=${FROM}&to=${TO}&day=2026-11-05`)).body.code).toBe('STATISTICS_RANGE_INVALID');
    const unknown = await stats('brigade=JM-XX');
    expect(unknown.status).toBe(404);
  });

  it('is for ops only', async () => {
    const dispatcher = await signedInStaff(t, 'dispatcher');
    expect((await dispatcher.get('/admin/statistics')).status).toBe(403);
    expect((await dispatcher.get('/admin/statistics/export/per-day.csv')).status).toBe(403);
    expect((await t.http.get('/api/v1/admin/statistics')).status).toBe(401);
  });
});

describe('GET /api/v1/admin/statistics/export/:table.csv', () => {
  /** The raw bytes (fetch's text() would drop the BOM). */
  const download = async (path: string) => {
    const cookie = ops.http.cookie(t.config.STAFF_COOKIE_NAME);
    const res = await fetch(`${t.url}/api/v1/admin/statistics/export/${path}`, { headers: { cookie: `${t.config.STAFF_COOKIE_NAME}=${cookie}` } });
    return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
  };

  it('sends a table as UTF-8 CSV with a BOM, Chinese headers and the right rows', async () => {
    const res = await download(`per-brigade.csv?from=${FROM}&to=${TO}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect([...res.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const disposition = res.headers.get('content-disposition')!;
    expect(disposition).toMatch(/^attachment; filename="statistics-per-brigade-2026-09-01-2026-10-31\.csv"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1]!)).toBe(`分大队统计_${FROM}_${TO}.csv`);

    const rows = parseCsv(res.bytes.subarray(3).toString('utf8'));
    expect(rows).toHaveLength(brigades.length);
    expect(Object.keys(rows[0]!)).toEqual(['大队代码', '大队名称', '报案数', '放行数', '接听并结束通话数', '5分钟内放行数', '5分钟放行率(%)', '接听数', '60秒内接听数', '60秒接听率(%)', '等待中位数(秒)', '等待P90(秒)', '处理中位数(秒)', '处理P90(秒)']);
    const expected = expectedFigures(history, { from: FROM, to: TO }, brigades).perBrigade;
    for (const b of expected) {
      const row = rows.find((r) => r['大队代码'] === b.brigadeCode)!;
      expect(row['大队名称']).toBe(b.brigadeName);
      expect(Number(row['报案数'])).toBe(b.reported);
      expect(Number(row['接听数'])).toBe(b.answered);
      expect(row['5分钟放行率(%)']).toBe(b.serviceLevel.share === null ? '' : (b.serviceLevel.share * 100).toFixed(1));
    }
    expect(rows.some((r) => r['大队名称'] === '江门市公安局交通警察支队蓬江大队')).toBe(true);
  });

  it('exports every table of the page with a header row and its rows', async () => {
    const body = (await stats(`from=${FROM}&to=${TO}`)).body;
    const expectedRows: Record<string, number> = {
      'per-day': 61, 'per-hour': 24, 'per-weekday': 7, 'per-brigade': brigades.length, 'per-district': body.perDistrict.length, outcomes: 6,
      'redirect-reasons': body.redirectReasons.length, 'service-level-by-week': body.serviceLevelByWeek.length, 'wait-histogram': 21, 'handling-histogram': 41,
      'arrivals-vs-duty': 24, reviews: 8, 'insurer-handoffs': body.insurerHandoffs.byInsurer.length,
    };
    for (const [table, count] of Object.entries(expectedRows)) {
      const res = await download(`${table}.csv?from=${FROM}&to=${TO}`);
      expect(res.status).toBe(200);
      const rows = parseCsv(res.bytes.subarray(3).toString('utf8'));
      expect([table, rows.length]).toEqual([table, count]);
      expect(Object.keys(rows[0]!).every((h) => /[\u4e00-\u9fa5]|\(/.test(h))).toBe(true);
    }
    const reasons = parseCsv((await download(`redirect-reasons.csv?from=${FROM}&to=${TO}`)).bytes.subarray(3).toString('utf8'));
    expect(reasons.some((r) => r['原因'] === '当事人对事实有争议' && r['来源'] === '接警员')).toBe(true);
  });

  it('answers 404 with a code for a table it does not have', async () => {
    const res = await ops.get('/admin/statistics/export/secrets.csv');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('STATISTICS_TABLE_UNKNOWN');
  });
});

describe('the rows behind the figures', () => {
  it('follow a case as it moves (case listeners), and are rebuilt when lost', async () => {
    const day = (await stats('from=2026-10-20&to=2026-10-20')).body;
    // A new report that day, moved through the case core as the app does (so its listeners run).
    const created = await Case.create(caseDoc({ reportedAt: new Date('2026-10-20T12:00:00+08:00'), state: 'draft', queuedAt: null, districtAdcode: '440703', districtName: '蓬江区' }));
    const id = String(created._id);
    await transition(id, 'submit', { kind: 'driver', id: String(created.initiatorId) }, { services: t.services });
    await transition(id, 'answer', { kind: 'dispatcher', id: 'd1' }, { set: { answeredAt: new Date('2026-10-20T12:00:30+08:00') }, services: t.services });
    await t.services.caseListeners.settled();
    const after = (await stats('from=2026-10-20&to=2026-10-20')).body;
    expect(after.totals.reported).toBe(day.totals.reported + 1);
    expect(after.totals.answered).toBe(day.totals.answered + 1);
    expect(after.outcomes.open).toBe(day.outcomes.open + 1);
    await transition(id, 'redirect', { kind: 'dispatcher', id: 'd1' }, { reason: '有人员受伤', set: { redirect: { reason: '有人员受伤', alternatives: ['call_122'] } }, services: t.services });
    await t.services.caseListeners.settled();
    const redirected = (await stats('from=2026-10-20&to=2026-10-20')).body;
    expect(redirected.outcomes.open).toBe(day.outcomes.open);
    expect(redirected.outcomes.redirected).toBe(day.outcomes.redirected + 1);
    expect(redirected.serviceLevel.eligible).toBe(day.serviceLevel.eligible + 1);

    // Rows and packs lost (a crash before the listener, a bad hand): a reconcile builds them from the cases.
    await CaseStat.deleteOne({ _id: created._id });
    await CaseStatDay.deleteOne({ _id: 'JM-PJ:2026-10-20' });
    await StatsState.updateOne({}, { $set: { syncedThrough: new Date(Date.now() - 60_000) } });
    const result = await reconcileStatistics();
    expect(result.full).toBe(false);
    expect(result.repaired).toBeGreaterThanOrEqual(1);
    expect((await stats('from=2026-10-20&to=2026-10-20')).body.outcomes).toEqual(redirected.outcomes);
  });

  it('count an insurer hand-off once it settles (hand-offs are not case events)', async () => {
    const before = (await stats('from=2026-10-20&to=2026-10-20')).body.insurerHandoffs;
    const closed = history.cases.find((c) => c.state === 'closed' && new Date(c.reportedAt.getTime() + 8 * 3600_000).toISOString().startsWith('2026-10-20') && c.parties.length === 2 && !history.handoffs.some((h) => String(h.caseId) === String(c._id)))!;
    const now = new Date();
    await Handoff.create({
      caseId: closed._id, party: 'B', driverId: closed.parties[1].driverId, insurerCode: 'PICC', insurerName: '人保财险', status: 'accepted', idempotencyKey: 'stats-test',
      certificateNumber: closed.decision.certificateNumber, request: { test: true }, consentAt: now, claimNo: 'C1', sentAt: now, attempts: 1, createdAt: now, updatedAt: now,
    });
    handoffSettled(String(closed._id), t.services.logger);
    // The listener runs after the notice, in the background: wait for it (bounded).
    let after = before;
    for (let i = 0; i < 20 && after.total === before.total; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      after = (await stats('from=2026-10-20&to=2026-10-20')).body.insurerHandoffs;
    }
    expect(after.total).toBe(before.total + 1);
    expect(after.accepted).toBe(before.accepted + 1);
    expect(after.cases).toBe(before.cases + 1);
  });
});
