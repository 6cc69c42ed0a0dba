import { Case } from '../../src/cases/case.model';
import { agentsNeeded, answeredWithin, erlangC } from '../../src/staffing/erlang-c';
import { createStaff } from '../../src/staff/staff.service';
import { caseDoc, seedBrigades } from '../cases/fixtures';
import { HttpClient } from '../http';
import { startTestServer, type TestServer } from '../harness';

/**
 * The recommendation from cases written at known Beijing hours with known answer and release times:
 * the rates and handling means are recomputed here from the list the test wrote, and Erlang C's answer
 * is checked against the definition (the fewest dispatchers that meet the target).
 */

// "Today" is Wednesday 2026-11-25 (Beijing); with weeks=2 the window is Wed 11-11 00:00 … Wed 11-25 00:00.
const NOW = new Date('2026-11-25T10:00:00+08:00');
const WEEKS = 2;
/** Monday of each of the two weeks in the window, as Beijing dates. */
const MONDAYS = ['2026-11-16', '2026-11-23'];
const beijing = (date: string, time: string) => new Date(`${date}T${time}+08:00`);
const hourIndex = (weekday: number, hour: number) => (weekday - 1) * 24 + hour;

/** A small deterministic generator, so the data is varied but the same every run. */
function lcg(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

interface Planned {
  reportedAt: Date;
  /** Seconds answer → release; null: answered but never released (redirected on the call). */
  handling: number | null;
  weekday: number;
  hour: number;
}

describe('staffing recommendation: GET /api/v1/admin/staffing', () => {
  let t: TestServer;
  let ops: HttpClient;
  const planned: Planned[] = [];

  beforeAll(async () => {
    t = await startTestServer();
    t.services.clock = () => NOW;
    await seedBrigades();
    await createStaff({ username: 'staffing-ops', displayName: '运维', role: 'ops', password: 'staffing-ops-password' }, t.config.PASSWORD_HASH_COST);
    ops = new HttpClient(t.url);
    await ops.post('/api/v1/staff/login', { username: 'staffing-ops', password: 'staffing-ops-password' });

    const random = lcg(13);
    const plan = (date: string, weekday: number, hour: number, count: number, handled: (k: number) => number | null) => {
      for (let k = 0; k < count; k++) {
        const minute = String(Math.floor(random() * 60)).padStart(2, '0');
        const second = String(Math.floor(random() * 60)).padStart(2, '0');
        planned.push({ reportedAt: beijing(date, `${String(hour).padStart(2, '0')}:${minute}:${second}`), handling: handled(k), weekday, hour });
      }
    };
    // Monday 09:00–10:00, busy: 14 and 17 calls, handled in 2–10 minutes, one of them never released.
    plan(MONDAYS[0]!, 1, 9, 14, (k) => (k === 3 ? null : Math.round(120 + random() * 480)));
    plan(MONDAYS[1]!, 1, 9, 17, () => Math.round(120 + random() * 480));
    // Tuesday 15:00, quiet: 3 calls, none released (every one redirected on the call): the brigade's mean stands in.
    plan('2026-11-17', 2, 15, 3, () => null);
    // The edges of the Beijing week: Monday 00:00:00 (Sunday 16:00 UTC) and Sunday 23:59:59 (15:59:59 UTC).
    planned.push({ reportedAt: beijing(MONDAYS[1]!, '00:00:00'), handling: 200, weekday: 1, hour: 0 });
    planned.push({ reportedAt: beijing('2026-11-22', '23:59:59'), handling: 400, weekday: 7, hour: 23 });

    const docs = planned.map((p) => {
      const answeredAt = new Date(p.reportedAt.getTime() + 30_000);
      return caseDoc({
        state: p.handling === null ? 'redirected' : 'closed',
        reportedAt: p.reportedAt,
        queuedAt: p.reportedAt,
        answeredAt,
        releasedAt: p.handling === null ? null : new Date(answeredAt.getTime() + p.handling * 1000),
        handlingSeconds: p.handling,
      });
    });
    // What must not count: another brigade's call, a report the rules refused (never queued), calls
    // just before the window and on "today", after it.
    docs.push(
      caseDoc({ brigadeCode: 'JM-TS', state: 'closed', reportedAt: beijing(MONDAYS[1]!, '09:30:00'), answeredAt: beijing(MONDAYS[1]!, '09:30:10'), releasedAt: beijing(MONDAYS[1]!, '09:35:00') }),
      caseDoc({ state: 'redirected', reportedAt: beijing(MONDAYS[1]!, '09:40:00'), queuedAt: null }),
      caseDoc({ state: 'closed', reportedAt: beijing('2026-11-10', '23:59:00'), answeredAt: beijing('2026-11-10', '23:59:30'), releasedAt: beijing('2026-11-11', '00:05:00') }),
      caseDoc({ state: 'closed', reportedAt: beijing('2026-11-25', '09:00:00'), answeredAt: beijing('2026-11-25', '09:00:30'), releasedAt: beijing('2026-11-25', '09:05:00') }),
    );
    await Case.insertMany(docs);
  });
  afterAll(() => t.close());

  /** The figures for one hour of the week, computed from the plan. */
  const expected = (weekday: number, hour: number) => {
    const calls = planned.filter((p) => p.weekday === weekday && p.hour === hour);
    const times = calls.map((p) => p.handling).filter((h): h is number => h !== null);
    return { arrivals: calls.length, perHour: calls.length / WEEKS, handled: times.length, mean: times.length ? times.reduce((s, x) => s + x, 0) / times.length : null };
  };
  const allHandling = () => planned.map((p) => p.handling).filter((h): h is number => h !== null);
  const get = async (query: string) => {
    const res = await ops.get(`/api/v1/admin/staffing?brigade=JM-PJ&weeks=${WEEKS}${query}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  it('counts the calls and the mean handling time of each Beijing hour of the week over the window', async () => {
    const body = await get('');
    expect(body).toMatchObject({ brigadeCode: 'JM-PJ', brigadeName: expect.stringContaining('蓬江'), weeks: WEEKS, target: 0.8, withinSeconds: 60 });
    expect(body.window).toEqual({ from: beijing('2026-11-11', '00:00:00').toISOString(), to: beijing('2026-11-25', '00:00:00').toISOString() });
    expect(body.calls).toBe(planned.length);
    expect(body.hours).toHaveLength(168);
    const overall = allHandling().reduce((s, x) => s + x, 0) / allHandling().length;
    expect(body.meanHandlingSeconds).toBeCloseTo(overall, 6);

    for (const [weekday, hour] of [[1, 9], [1, 0], [7, 23]] as const) {
      const e = expected(weekday, hour);
      const h = body.hours[hourIndex(weekday, hour)];
      expect(h).toMatchObject({ index: hourIndex(weekday, hour), weekday, hour, arrivals: e.arrivals, handled: e.handled, handlingBasis: 'hour' });
      expect(h.arrivalsPerHour).toBeCloseTo(e.perHour, 10);
      expect(h.meanHandlingSeconds).toBeCloseTo(e.mean!, 6);
    }
    expect(body.hours[hourIndex(1, 9)].arrivals).toBe(31);
    // Hours with no calls; the hour either side of an edge case holds nothing of it.
    const busy = new Set([hourIndex(1, 9), hourIndex(1, 0), hourIndex(7, 23), hourIndex(2, 15)]);
    for (const h of body.hours) if (!busy.has(h.index)) expect(h).toMatchObject({ arrivals: 0, needed: 0, withNeeded: null, withRostered: null, short: false });
    // Calls but none released: the brigade's mean handling time stands in.
    const quiet = body.hours[hourIndex(2, 15)];
    expect(quiet).toMatchObject({ arrivals: 3, handled: 0, meanHandlingSeconds: null, handlingBasis: 'brigade' });
    expect(quiet.handlingSecondsUsed).toBeCloseTo(overall, 6);
  });

  it('recommends the fewest dispatchers that answer the target within the time: N meets it, N − 1 does not', async () => {
    for (const [query, target, within] of [['', 0.8, 60], ['&target=0.95&withinSeconds=20', 0.95, 20]] as const) {
      const body = await get(query);
      expect(body).toMatchObject({ target, withinSeconds: within });
      const e = expected(1, 9);
      const rate = e.perHour / 3600;
      const h = body.hours[hourIndex(1, 9)];
      expect(h.needed).toBe(agentsNeeded(rate, e.mean!, target, within));
      expect(h.needed).toBeGreaterThanOrEqual(2);
      expect(answeredWithin({ arrivalRate: rate, meanHandlingSeconds: e.mean!, agents: h.needed }, within)).toBeGreaterThanOrEqual(target);
      expect(answeredWithin({ arrivalRate: rate, meanHandlingSeconds: e.mean!, agents: h.needed - 1 }, within)).toBeLessThan(target);
      expect(h.trafficErlangs).toBeCloseTo((e.perHour * e.mean!) / 3600, 10);
      expect(h.withNeeded.dispatchers).toBe(h.needed);
      expect(h.withNeeded.serviceLevel).toBeGreaterThanOrEqual(target);
      expect(h.withNeeded.meanWaitSeconds).toBeCloseTo(erlangC({ arrivalRate: rate, meanHandlingSeconds: e.mean!, agents: h.needed }).meanWaitSeconds, 6);
    }
    const strict = (await get('&target=0.95&withinSeconds=20')).hours[hourIndex(1, 9)].needed;
    expect(strict).toBeGreaterThanOrEqual((await get('')).hours[hourIndex(1, 9)].needed);
  });

  it('puts the roster beside it: short hours flagged, the rostered number’s wait predicted (none while none rostered)', async () => {
    const before = await get('');
    expect(before.roster).toMatchObject({ rev: 0, saved: false });
    const busy = before.hours[hourIndex(1, 9)];
    expect(busy).toMatchObject({ rostered: 0, short: true, withRostered: { dispatchers: 0, serviceLevel: 0, probabilityOfWaiting: 1, meanWaitSeconds: null } });
    expect(before.shortHours).toBe(before.hours.filter((h: { needed: number }) => h.needed > 0).length);

    const dispatchers = Array.from({ length: 168 }, () => 0);
    dispatchers[hourIndex(1, 9)] = busy.needed - 1;
    dispatchers[hourIndex(2, 15)] = 5;
    const saved = await ops.request('PUT', '/api/v1/admin/rosters/JM-PJ', { basedOnRev: 0, dispatchers }, { headers: { 'x-console-request': '1' } });
    expect(saved.status).toBe(200);

    const after = await get('');
    expect(after.roster).toMatchObject({ rev: 1, saved: true, changedBy: 'staffing-ops' });
    const e = expected(1, 9);
    const desk = { arrivalRate: e.perHour / 3600, meanHandlingSeconds: e.mean!, agents: busy.needed - 1 };
    const h = after.hours[hourIndex(1, 9)];
    expect(h).toMatchObject({ rostered: busy.needed - 1, short: true });
    expect(h.withRostered.serviceLevel).toBeCloseTo(answeredWithin(desk, 60), 10);
    expect(h.withRostered.serviceLevel).toBeLessThan(0.8);
    const model = erlangC(desk);
    if (Number.isFinite(model.meanWaitSeconds)) expect(h.withRostered.meanWaitSeconds).toBeCloseTo(model.meanWaitSeconds, 6);
    else expect(h.withRostered.meanWaitSeconds).toBeNull();
    expect(after.hours[hourIndex(2, 15)]).toMatchObject({ rostered: 5, short: false });
    expect(after.shortHours).toBe(before.shortHours - 1);
  });

  it('refuses a bad query (400) and an unknown brigade (404)', async () => {
    for (const q of ['', 'brigade=JM-PJ&target=1', 'brigade=JM-PJ&target=0', 'brigade=JM-PJ&weeks=0', 'brigade=JM-PJ&weeks=53', 'brigade=JM-PJ&withinSeconds=-1', 'brigade=JM-PJ&weeks=abc']) {
      expect([q, (await ops.get(`/api/v1/admin/staffing?${q}`)).status]).toEqual([q, 400]);
    }
    expect((await ops.get('/api/v1/admin/staffing?brigade=JM-XX')).status).toBe(404);
  });
});
