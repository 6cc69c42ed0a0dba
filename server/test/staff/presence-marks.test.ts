import { StaffPresence } from '../../src/staff/presence.model';
import { startTestServer, type TestServer } from '../harness';
import { seedBrigades } from '../cases/fixtures';
import { signedInStaff } from '../decisions/decision-fixtures';

/**
 * A console reads its queue every few seconds; each read marked the dispatcher on duty with a write.
 * A mark fresher than MARK_EVERY_MS (10 s, against a 90 s on-duty window) is not written again.
 */
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
  await seedBrigades();
}, 60_000);
afterAll(() => t.close());

it('writes a dispatcher’s on-duty mark once for queue reads in quick succession, and they stay on duty', async () => {
  const desk = await signedInStaff(t, 'dispatcher', 'JM-PJ');
  const marks = jest.spyOn(StaffPresence, 'updateOne');
  try {
    for (let i = 0; i < 5; i++) {
      const queue = await desk.get('/queue');
      expect(queue.status).toBe(200);
      expect(queue.body.dispatchersOnDuty).toBe(1);
    }
    expect(marks).toHaveBeenCalledTimes(1);
  } finally {
    marks.mockRestore();
  }
});
