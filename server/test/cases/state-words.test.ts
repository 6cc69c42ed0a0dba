import { CASE_STATES, TRANSITIONS, type CaseEvent } from '../../src/cases/lifecycle';
import { planTransition } from '../../src/cases/case-transitions';
import { createStaff } from '../../src/staff/staff.service';
import { HttpClient } from '../http';
import { startTestServer, type TestServer } from '../harness';
import { DURING_HOURS, report, seedBrigades, verifiedDriver } from './fixtures';

/** Cookie writes from the console carry this header (the CSRF guard). */
const WRITE = { headers: { 'x-console-request': '1' } };

/** A state's code (queued, in_call …) in a message meant for people. */
const RAW_STATE = new RegExp(`\\b(${CASE_STATES.join('|')})\\b`);

describe('states in words in what people read', () => {
  it('every transition the table refuses names the current state in Chinese, never by its code', () => {
    const events = [...new Set(TRANSITIONS.map((t) => t.event))] as CaseEvent[];
    let refused = 0;
    for (const state of CASE_STATES) {
      for (const event of events) {
        if (TRANSITIONS.some((t) => t.from === state && t.event === event)) continue;
        refused++;
        let message = '';
        try {
          planTransition(state, event, { kind: 'system', id: null });
        } catch (err) {
          message = (err as Error).message;
        }
        expect(message).toMatch(/^案件当前状态为「[^」a-z]+」/);
        expect(message).not.toMatch(RAW_STATE);
      }
    }
    expect(refused).toBeGreaterThan(50);
  });

  describe('through the desk', () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer();
      await seedBrigades();
      await createStaff({ username: 'sw-pj', displayName: '陈接警', role: 'dispatcher', brigadeCode: 'JM-PJ', password: 'state-words-password' }, t.config.PASSWORD_HASH_COST);
      t.services.clock = DURING_HOURS;
    });
    afterAll(() => t.close());

    it('a second 交回队列 (two tabs, or a double press) says the case is 排队中, not 「queued」', async () => {
      const desk = new HttpClient(t.url);
      await desk.post('/api/v1/staff/login', { username: 'sw-pj', password: 'state-words-password' });
      const { caseId } = (await report(await verifiedDriver(t))).body;
      expect((await desk.post(`/api/v1/desk/cases/${caseId}/answer`, undefined, WRITE)).status).toBe(200);
      expect((await desk.post(`/api/v1/desk/cases/${caseId}/hand-back`, undefined, WRITE)).status).toBe(200);
      const again = await desk.post(`/api/v1/desk/cases/${caseId}/hand-back`, undefined, WRITE);
      expect(again.status).toBe(409);
      expect(again.body.message).toContain('排队中');
      expect(again.body.message).not.toMatch(RAW_STATE);
    });
  });
});
