import { CaseEvent } from '../../src/cases/case-event.model';
import { Case } from '../../src/cases/case.model';
import { startTestServer, type TestServer } from '../harness';
import { DURING_HOURS, seedBrigades } from '../cases/fixtures';
import { dispatcher, twoPartyCase } from './call-fixtures';

/**
 * One chatty or scripted party must not slow everyone: chat is stored once (never copied into the
 * case or its history), the history records what each edit changed, and chat and edits are limited
 * per person and per case.
 */
describe('chat and case edits cannot amplify or flood', () => {
  let t: TestServer;
  let desk: Awaited<ReturnType<typeof dispatcher>>;

  beforeAll(async () => {
    t = await startTestServer({ env: { CHAT_MAX_PER_MINUTE: '5', CHAT_MAX_PER_CASE: '8', CASE_EDIT_MAX_PER_MINUTE: '6' } });
    t.services.clock = DURING_HOURS;
    await seedBrigades();
    desk = await dispatcher(t, 'desk-limits');
  });
  afterAll(() => t.close());

  const historyText = async (caseId: string) => JSON.stringify(await CaseEvent.find({ caseId }).lean());

  it('stores each message once: neither the case nor any history entry holds a copy of the chat', async () => {
    const { caseId, a, b } = await twoPartyCase(t);
    const texts = Array.from({ length: 4 }, (_, i) => `消息${i} ${'长'.repeat(400)}`);
    for (const text of texts) expect((await a.post(`/api/v1/cases/${caseId}/messages`, { text })).status).toBe(201);

    const history = await historyText(caseId);
    for (const text of texts) expect(history).not.toContain(text);
    expect(JSON.stringify(await Case.findById(caseId).lean())).not.toContain(texts[0]);
    // Both sides still read the whole chat, in order.
    const seenByB = (await b.get(`/api/v1/cases/${caseId}/call`)).body.messages.map((m: { text: string }) => m.text);
    expect(seenByB).toEqual(texts);
    const seenByDesk = (await desk.get(caseId)).body.messages.map((m: { text: string; from: string }) => m.from);
    expect(seenByDesk).toEqual(['A', 'A', 'A', 'A']);
  });

  it('limits messages per sender, then per case, telling how long to wait', async () => {
    const { caseId, a, b } = await twoPartyCase(t);
    for (let i = 0; i < 5; i++) expect((await a.post(`/api/v1/cases/${caseId}/messages`, { text: `a${i}` })).status).toBe(201);
    const flooded = await a.post(`/api/v1/cases/${caseId}/messages`, { text: 'one too many' });
    expect(flooded.status).toBe(429);
    expect(flooded.body.code).toBe('CHAT_RATE_LIMITED');
    expect(flooded.body.retryAfterSeconds).toBeGreaterThan(0);
    expect(flooded.headers.get('retry-after')).toBe(String(flooded.body.retryAfterSeconds));
    // The other party is not silenced by A's flood, up to the case's cap.
    for (let i = 0; i < 3; i++) expect((await b.post(`/api/v1/cases/${caseId}/messages`, { text: `b${i}` })).status).toBe(201);
    const full = await b.post(`/api/v1/cases/${caseId}/messages`, { text: 'past the cap' });
    expect(full.status).toBe(409);
    expect(full.body.code).toBe('CHAT_FULL');
  });

  it('records in the history only what an edit changed', async () => {
    const { caseId, a, b } = await twoPartyCase(t);
    expect((await desk.post(caseId, '/answer')).status).toBe(200);
    expect((await b.put(`/api/v1/cases/${caseId}/my-info`, { driverName: '李四', insurer: '平安保险' })).status).toBe(200);
    expect((await a.put(`/api/v1/cases/${caseId}/my-info`, { driverName: '张三' })).status).toBe(200);
    const events = await CaseEvent.find({ caseId }).sort({ rev: 1 }).lean();
    const lastInfo = events.filter((e) => e.event === 'party_info_by_party').at(-1)!;
    // A's edit records A's information only — not B's, and not the whole list of parties.
    expect((lastInfo.setPaths as { path: string }[]).map((p) => p.path)).toEqual(['parties.0.info']);
    expect(JSON.stringify(lastInfo)).not.toContain('李四');
    expect(lastInfo.set ?? {}).toEqual({});
    const join = events.find((e) => e.event === 'join')!;
    expect((join.push as { parties: { plate: string }[] }).parties.map((p) => p.plate)).toEqual(['粤J20002']);
    expect(join.set).not.toHaveProperty('parties');
    // And the case reads as before.
    const view = (await desk.get(caseId)).body;
    expect(view.parties.map((p: { info: { driverName: string } }) => p.info.driverName)).toEqual(['张三', '李四']);
  });

  it('limits case edits per person; another case and another dispatcher are not slowed', async () => {
    const first = await twoPartyCase(t);
    const second = await twoPartyCase(t);
    const other = await dispatcher(t, 'desk-limits-2');
    expect((await desk.post(first.caseId, '/answer')).status).toBe(200);
    expect((await other.post(second.caseId, '/answer')).status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await desk.put(first.caseId, '/facts', { summary: `第${i}版` })).status);
    expect(statuses.slice(0, 6)).toEqual([200, 200, 200, 200, 200, 200]);
    const limited = await desk.put(first.caseId, '/facts', { summary: 'again' });
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('EDIT_RATE_LIMITED');
    expect((await other.put(second.caseId, '/facts', { summary: '另一起' })).status).toBe(200);
  });

  it('limits new evidence uploads like any other edit; asking again for the same upload is free', async () => {
    const { caseId, a } = await twoPartyCase(t);
    expect((await desk.post(caseId, '/answer')).status).toBe(200);
    const create = (uploadKey: string) => a.post(`/api/v1/cases/${caseId}/uploads`, { uploadKey, kind: 'impact_point', mimeType: 'image/jpeg', size: 1000 });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await create(`upload-key-${i}-0000`)).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 201]);
    const limited = await create('upload-key-6-0000');
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('EDIT_RATE_LIMITED');
    expect((await create('upload-key-0-0000')).status).toBe(200);
  });
});
