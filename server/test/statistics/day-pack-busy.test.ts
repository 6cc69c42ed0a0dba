import { transition } from '../../src/cases';
import { Case } from '../../src/cases/case.model';
import { CaseStat, CaseStatDay } from '../../src/statistics/case-stat.model';
import { unpack } from '../../src/statistics/case-stats';
import { startTestServer, type TestServer } from '../harness';
import { caseDoc, seedBrigades } from '../cases/fixtures';

/**
 * A busy desk: many cases of one brigade's day change at once. Each change used to rebuild the day's
 * pack on its own (two reads of the whole day and a write each); changes that arrive while the day
 * is being rebuilt now share one more rebuild — and the pack still ends up holding every case as it is.
 */
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
  await seedBrigades();
}, 60_000);
afterAll(() => t.close());

const CASES = 12;

it('folds the rebuilds of one brigade-day that arrive together, and the pack holds every case', async () => {
  const created = await Promise.all(
    Array.from({ length: CASES }, (_, i) =>
      Case.create(caseDoc({ reportedAt: new Date(`2026-10-21T09:${String(10 + i).padStart(2, '0')}:00+08:00`), state: 'draft', queuedAt: null, districtAdcode: '440703', districtName: '蓬江区' })),
    ),
  );
  const dayReads = jest.spyOn(CaseStat, 'find');
  try {
    await Promise.all(created.map((c) => transition(String(c._id), 'submit', { kind: 'driver', id: String(c.initiatorId) }, { services: t.services })));
    await t.services.caseListeners.settled();
    // One rebuild reads the day twice (rows, then the check after writing): twelve on their own read it 24 times at least.
    expect(dayReads.mock.calls.length).toBeLessThan(CASES);
  } finally {
    dayReads.mockRestore();
  }
  const pack = await CaseStatDay.findById('JM-PJ:2026-10-21').lean();
  expect(pack).not.toBeNull();
  const rows = unpack({ brigadeCode: pack!.brigadeCode ?? null, day: pack!.day, rows: pack!.rows });
  expect(rows.map((r) => r.caseId).sort()).toEqual(created.map((c) => String(c._id)).sort());
  expect(rows.every((r) => r.outcome === 'open')).toBe(true);

  // Half of them answered, then redirected, at once: the pack follows every one.
  const redirected = created.slice(0, CASES / 2);
  await Promise.all(redirected.map((c) => transition(String(c._id), 'answer', { kind: 'dispatcher', id: 'd1' }, { set: { answeredAt: new Date('2026-10-21T09:30:00+08:00') }, services: t.services })));
  await Promise.all(
    redirected.map((c) =>
      transition(String(c._id), 'redirect', { kind: 'dispatcher', id: 'd1' }, { reason: '有人员受伤', set: { redirect: { reason: '有人员受伤', alternatives: ['call_122'] } }, services: t.services }),
    ),
  );
  await t.services.caseListeners.settled();
  const after = await CaseStatDay.findById('JM-PJ:2026-10-21').lean();
  const outcomes = new Map(unpack({ brigadeCode: after!.brigadeCode ?? null, day: after!.day, rows: after!.rows }).map((r) => [r.caseId, r.outcome]));
  for (const c of created) expect(outcomes.get(String(c._id))).toBe(redirected.includes(c) ? 'redirected' : 'open');
});
