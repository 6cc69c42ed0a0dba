import { caseHistory, reconcileOpenCases } from '../../src/cases';
import { Case } from '../../src/cases/case.model';
import { CaseEvent } from '../../src/cases/case-event.model';
import { EDITS, TRANSITIONS } from '../../src/cases/lifecycle';
import { OpenCase } from '../../src/cases/open-case.model';
import { Handoff } from '../../src/insurers/handoff.model';
import { StaffDutyHour } from '../../src/staff';
import { generateHistory, type GeneratedHistory } from '../../../scripts/demo/history-model';
import { clearHistory, loadHistory } from '../../../scripts/demo/history-load';
import { startTestServer, type TestServer } from '../harness';
import { seedBrigades } from '../cases/fixtures';
import { decision, signedInStaff } from '../decisions/decision-fixtures';

/**
 * `npm run demo:history` writes cases beside the app, not through it: what it writes must read like
 * what the app writes, for every reader — the schemas, the event log, open_cases, the queue, the
 * officers' and reviewers' lists — and the app must be able to carry a generated case on.
 */
let t: TestServer;
let history: GeneratedHistory;
/** The evening of the last day: the day's last cases are released and waiting for an officer, a few delivered. */
const UNTIL = '2026-11-20';
const now = new Date('2026-11-20T22:00:00+08:00');

beforeAll(async () => {
  t = await startTestServer();
  await seedBrigades();
  history = generateHistory({ months: 1, seed: 11, until: UNTIL, now, volume: 0.3 });
  await loadHistory(history);
}, 120_000);
afterAll(() => t.close());

describe('the generated history', () => {
  it('is the same seeded history every time', () => {
    const again = generateHistory({ months: 1, seed: 11, until: history.until, now, volume: 0.3 });
    const key = (h: GeneratedHistory) => h.cases.slice(0, 200).map((c) => `${String(c._id)} ${c.reportedAt.toISOString()} ${c.answeredAt?.toISOString()}`);
    expect(key(again)).toEqual(key(history));
    expect(key(generateHistory({ months: 1, seed: 12, until: history.until, now, volume: 0.3 }))).not.toEqual(key(history));
  });

  it('passes the app\'s own schemas', async () => {
    for (const [model, docs] of [[Case, history.cases], [CaseEvent, history.events], [Handoff, history.handoffs], [StaffDutyHour, history.dutyHours]] as const) {
      for (const doc of docs.slice(0, 3000)) {
        const problem = await new (model as typeof Case)(doc).validate().then(() => null, (err: Error) => err.message);
        expect(problem).toBeNull();
      }
    }
  });

  it('has an event log that walks the lifecycle tables from draft to the state each case is in', async () => {
    const ofState = new Map<string, string>();
    for (const c of history.cases) if (!ofState.has(c.state)) ofState.set(c.state, String(c._id));
    expect([...ofState.keys()].sort()).toEqual(expect.arrayContaining(['abandoned', 'cancelled', 'closed', 'delivered', 'redirected']));
    for (const c of history.cases.slice(0, 400).concat(history.cases.filter((x) => x.review))) {
      const events = await caseHistory(String(c._id));
      expect(events.map((e) => e.rev)).toEqual(events.map((_, i) => i + 1));
      expect(events.at(-1)!.rev).toBe(c.rev);
      let state = 'draft';
      for (const e of events) {
        expect(e.from).toBe(state);
        const legal = e.from === e.to ? EDITS.some((r) => r.kind === e.event && r.states.includes(e.from as never)) : TRANSITIONS.some((r) => r.from === e.from && r.event === e.event && r.to === e.to);
        expect([c.state, e.from, e.event, e.to, legal]).toEqual([c.state, e.from, e.event, e.to, true]);
        state = e.to;
      }
      expect(state).toBe(c.state);
    }
  });

  it('leaves nothing open in the queues; parked cases have the open_cases rows the app keeps', async () => {
    expect(history.cases.some((c) => ['queued', 'in_call', 'collecting'].includes(c.state))).toBe(false);
    const abandoned = history.cases.filter((c) => c.state === 'abandoned').length;
    expect(await OpenCase.countDocuments({ state: 'abandoned' })).toBe(abandoned);
    expect((await reconcileOpenCases()).repaired).toEqual([]);
    const dispatcher = await signedInStaff(t, 'dispatcher');
    const queue = await dispatcher.get('/queue');
    expect(queue.status).toBe(200);
    expect(queue.body.items).toEqual([]);
  });

  it('reads in the officers\' and reviewers\' lists, and an officer can decide a generated case', async () => {
    const released = history.cases.filter((c) => c.state === 'released' && c.brigadeCode === 'JM-PJ').map((c) => String(c._id));
    expect(released.length).toBeGreaterThan(0);
    const officer = await signedInStaff(t, 'officer', 'JM-PJ');
    const pending = await officer.get('/decisions/pending');
    expect(pending.status).toBe(200);
    expect(pending.body.items.map((i: { caseId: string }) => i.caseId).sort()).toEqual(released.sort());
    const closed = history.cases.find((c) => c.state === 'closed' && c.brigadeCode === 'JM-PJ')!;
    const file = await officer.get(`/decisions/cases/${String(closed._id)}`);
    expect(file.status).toBe(200);
    expect(file.body.case.place.address).toMatch(/^蓬江区/);
    expect(file.body.timeline.length).toBeGreaterThan(3);
    expect(file.body.decision.officer.name).toBe('蓬江民警');

    const reviewer = await signedInStaff(t, 'reviewer', null);
    const reviews = await reviewer.get('/reviews/pending');
    expect(reviews.status).toBe(200);
    expect(reviews.body.items.length).toBe(history.cases.filter((c) => c.state === 'review_requested').length);

    // A generated case released a moment ago carries on through the app like any other.
    const open = released[0]!;
    const c = history.cases.find((x) => String(x._id) === open)!;
    const grades = Object.fromEntries(c.parties.map((p: { label: string }, i: number) => [p.label, i === 0 ? 'full' : 'none']));
    const decided = await officer.post(`/decisions/cases/${open}/decision`, decision(grades, '依据视频认定'));
    expect(decided.status).toBe(201);
    expect(decided.body.case.state).toMatch(/determined|delivered/);
  });

  it('is replaced, not doubled, by a second load', async () => {
    const before = await Case.countDocuments();
    await clearHistory();
    expect(await Case.countDocuments()).toBe(before - history.cases.length);
    expect(await CaseEvent.countDocuments({ caseId: history.cases[0]!._id })).toBe(0);
    await loadHistory(history);
    expect(await Case.countDocuments()).toBe(before);
  });
});
