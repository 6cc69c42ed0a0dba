import { Types } from 'mongoose';
import type { CaseState } from '../../typings/api/cases';
import { Case, CASE_STATES } from '../src/cases/case.model';
import { CaseEvent, caseEventId } from '../src/cases/case-event.model';
import { caseHistory, edit, loadCase, transition } from '../src/cases/case-revisions';
import { findEdit } from '../src/cases/lifecycle';
import { TERMINAL_STATES, TRANSITIONS } from '../src/cases/lifecycle';
import { caseDoc, insertCase } from './cases/fixtures';
import { OpenCase } from '../src/cases/open-case.model';
import { syncOpenCase } from '../src/cases/open-cases';
import { startTestServer, type TestServer } from './harness';

describe('case lifecycle table', () => {
  it('reaches every state from draft, and every non-terminal state can move on', () => {
    const reachable = new Set<CaseState>(['draft']);
    for (let grew = true; grew; ) {
      grew = false;
      for (const t of TRANSITIONS) if (reachable.has(t.from) && !reachable.has(t.to)) grew = reachable.add(t.to) !== null;
    }
    expect([...reachable].sort()).toEqual([...CASE_STATES].sort());
    for (const state of CASE_STATES) {
      const outgoing = TRANSITIONS.filter((t) => t.from === state);
      if (TERMINAL_STATES.includes(state)) expect(outgoing).toHaveLength(0);
      else expect(outgoing.length).toBeGreaterThan(0);
    }
  });

  it('has at most one row per (state, event)', () => {
    const keys = TRANSITIONS.map((t) => `${t.from}/${t.event}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('case transitions on the real engine', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  const queuedCase = () =>
    Case.create(caseDoc());

  it('moves a case by one row and appends who/when/why to its history', async () => {
    const c = await queuedCase();
    const updated = await transition(c._id, 'answer', { kind: 'dispatcher', id: 'staff-1' }, { reason: '接听' });
    expect(updated).toMatchObject({ state: 'in_call', rev: 1 });
    expect(await caseHistory(c._id)).toEqual([
      expect.objectContaining({ rev: 1, at: expect.any(Date), event: 'answer', from: 'queued', to: 'in_call', actor: { kind: 'dispatcher', id: 'staff-1' }, reason: '接听' }),
    ]);
  });

  it('lets exactly one of two simultaneous answers win; the other gets 409', async () => {
    const c = await queuedCase();
    const results = await Promise.allSettled([
      transition(c._id, 'answer', { kind: 'dispatcher', id: 'a' }),
      transition(c._id, 'answer', { kind: 'dispatcher', id: 'b' }),
      transition(c._id, 'answer', { kind: 'officer', id: 'c' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({ status: 409, code: 'CONFLICT' });
    }
    const stored = (await Case.findById(c._id).lean())!;
    expect(stored).toMatchObject({ state: 'in_call', rev: 1 });
    const history = await caseHistory(c._id);
    expect(history).toHaveLength(1);
    const winner = results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<unknown>;
    expect(history[0]!.actor).toEqual(expect.objectContaining({ id: expect.any(String) }));
    expect(winner).toBeDefined();
  });

  it('refuses an event the current state does not accept (409) and an actor the row does not allow (403)', async () => {
    const c = await queuedCase();
    await expect(transition(c._id, 'release', { kind: 'dispatcher', id: 'a' })).rejects.toMatchObject({ status: 409 });
    await expect(transition(c._id, 'answer', { kind: 'driver', id: 'd' })).rejects.toMatchObject({ status: 403 });
    expect((await Case.findById(c._id).lean())!.state).toBe('queued');
  });

  it('answers 404 for a case that does not exist', async () => {
    await expect(transition(new Types.ObjectId(), 'answer', { kind: 'dispatcher', id: 'a' })).rejects.toMatchObject({ status: 404 });
  });

  it('lets an edit through only in the states and for the actors its row names, saying why in its own words', async () => {
    const c = await queuedCase();
    const facts = () => ({ set: { address: '已改' } });
    await expect(edit(c._id, 'facts', { kind: 'dispatcher', id: 'd' }, facts)).rejects.toMatchObject({ status: 409, code: 'CASE_NOT_IN_CALL', message: findEdit('facts').refused });
    await expect(edit(c._id, 'recording_consent', { kind: 'dispatcher', id: 'd' }, facts)).rejects.toMatchObject({ status: 403 });
    const edited = await edit(c._id, 'party_info_by_party', { kind: 'driver', id: 'p' }, facts);
    expect(edited).toMatchObject({ state: 'queued', address: '已改', rev: 1 });
    expect((await caseHistory(c._id)).map((e) => [e.event, e.from, e.to])).toEqual([['party_info_by_party', 'queued', 'queued']]);
  });

  it('loses no concurrent edit: ten writers each add to the case, all ten land in order', async () => {
    const c = await queuedCase();
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        edit(c._id, 'party_info_by_party', { kind: 'driver', id: `d${i}` }, (current) => ({
          set: { vehicleCount: (current.vehicleCount ?? 0) + 1 },
        })),
      ),
    );
    const stored = (await Case.findById(c._id).lean())!;
    expect(stored.vehicleCount).toBe(12);
    expect(stored.rev).toBe(10);
    expect((await caseHistory(c._id)).map((e) => e.rev)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('finishes an event whose writer stopped between recording and applying it', async () => {
    const c = await queuedCase();
    // A writer claimed event 1 and died before updating the case document.
    await CaseEvent.create({ _id: caseEventId(c._id, 1), caseId: c._id, rev: 1, at: new Date(), event: 'answer', from: 'queued', to: 'in_call', actor: { kind: 'dispatcher', id: 'gone' }, set: { address: '恢复' } });
    expect((await Case.findById(c._id).lean())!.state).toBe('queued');
    expect(await loadCase(c._id)).toMatchObject({ state: 'in_call', rev: 1, address: '恢复' });
    // The next transition starts from the finished state, not the stale one.
    const next = await transition(c._id, 'start_collecting', { kind: 'dispatcher', id: 'next' });
    expect(next).toMatchObject({ state: 'collecting', rev: 2 });
  });

  it('keeps open_cases in step: a stale copy never overwrites a newer one, and a finished case leaves', async () => {
    const c = await insertCase();
    const queued = await loadCase(c._id);
    await syncOpenCase(queued);
    const answered = await transition(c._id, 'answer', { kind: 'dispatcher', id: 'd' });
    expect(await OpenCase.findById(c._id).lean()).toMatchObject({ state: 'in_call', rev: 1 });
    // A slow writer still holding the queued snapshot syncs late: ignored.
    await syncOpenCase(queued);
    expect(await OpenCase.findById(c._id).lean()).toMatchObject({ state: 'in_call', rev: 1 });
    await transition(answered._id, 'redirect', { kind: 'dispatcher', id: 'd' }, { reason: '有人受伤' });
    expect(await OpenCase.exists({ _id: c._id })).toBeNull();
  });
});
