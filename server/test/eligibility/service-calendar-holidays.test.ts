import { createStaff } from '../../src/staff/staff.service';
import { currentWorkingDayCalendar, reviewDeadline } from '../../src/eligibility';
import { ServiceCalendarRevision } from '../../src/eligibility/service-calendar.model';
import { AuditEntry } from '../../src/platform/audit/audit';
import { HttpClient } from '../http';
import { startTestServer, type TestServer } from '../harness';

const BASE = { opensAt: '07:30', closesAt: '19:30', trialStartsOn: '2026-05-28', launchOn: '2026-06-01', exceptions: [] };
/** Delivered Monday 30 November 2026: the third day after is Thursday 3 December. */
const DELIVERED = new Date('2026-11-30T10:00:00+08:00');
const END_OF_DEC_3 = '2026-12-03T16:00:00.000Z';
const END_OF_DEC_4 = '2026-12-04T16:00:00.000Z';

describe('public holidays in the service calendar: shipped, edited by ops through HTTP, setting the 复核 deadline', () => {
  let t: TestServer;
  let ops: HttpClient;
  const WRITE = { headers: { 'x-console-request': '1' } };
  beforeAll(async () => {
    t = await startTestServer();
    await createStaff({ username: 'holiday-ops', displayName: '运维', role: 'ops', password: 'holiday-ops-password' }, t.config.PASSWORD_HASH_COST);
    ops = new HttpClient(t.url);
    await ops.post('/api/v1/staff/login', { username: 'holiday-ops', password: 'holiday-ops-password' });
  });
  afterAll(() => t.close());

  const calendar = async () => (await ops.get('/api/v1/admin/service-calendar')).body.calendar;

  it('shows the shipped schedule before ops have changed anything (rev 0)', async () => {
    const shown = await calendar();
    expect(shown.rev).toBe(0);
    expect(shown.holidays).toEqual(expect.arrayContaining([
      { date: '2026-10-01', kind: 'holiday', name: '国庆节' },
      { date: '2026-10-10', kind: 'makeup_workday', name: '国庆节' },
      { date: '2026-02-17', kind: 'holiday', name: '春节' },
    ]));
    expect(reviewDeadline(DELIVERED, await currentWorkingDayCalendar()).toISOString()).toBe(END_OF_DEC_3);
  });

  it('lets ops add a holiday (audited, a new revision), and the deadline moves with it', async () => {
    const before = await calendar();
    const holidays = [...before.holidays, { date: '2026-12-03', kind: 'holiday', name: '临时调整' }];
    const saved = await ops.request('PUT', '/api/v1/admin/service-calendar', { basedOnRev: before.rev, ...BASE, holidays }, WRITE);
    expect(saved.status).toBe(200);
    expect(saved.body.calendar.rev).toBe(before.rev + 1);
    expect(saved.body.calendar.holidays).toContainEqual({ date: '2026-12-03', kind: 'holiday', name: '临时调整' });
    expect(await AuditEntry.countDocuments({ action: 'service_calendar.save' })).toBe(1);
    expect(reviewDeadline(DELIVERED, await currentWorkingDayCalendar()).toISOString()).toBe(END_OF_DEC_4);
  });

  it('keeps the holidays when a client that predates them saves the calendar without them', async () => {
    const before = await calendar();
    const saved = await ops.request('PUT', '/api/v1/admin/service-calendar', { basedOnRev: before.rev, ...BASE, closesAt: '19:00' }, WRITE);
    expect(saved.status).toBe(200);
    expect(saved.body.calendar).toMatchObject({ rev: before.rev + 1, closesAt: '19:00' });
    expect(saved.body.calendar.holidays).toEqual(before.holidays);
    expect(reviewDeadline(DELIVERED, await currentWorkingDayCalendar()).toISOString()).toBe(END_OF_DEC_4);
  });

  it.each([
    ['a date that does not exist', { date: '2026-02-30', kind: 'holiday', name: '春节' }, 'holidays.0.date'],
    ['an unknown kind', { date: '2026-12-10', kind: 'day_off', name: '春节' }, 'holidays.0.kind'],
    ['no name', { date: '2026-12-10', kind: 'holiday', name: ' ' }, 'holidays.0.name'],
  ])('refuses %s with 400 and the field, changing nothing', async (_what, entry, path) => {
    const before = await calendar();
    const res = await ops.request('PUT', '/api/v1/admin/service-calendar', { basedOnRev: before.rev, ...BASE, holidays: [entry] }, WRITE);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.issues[0].path).toBe(path);
    expect((await calendar()).rev).toBe(before.rev);
  });

  it('refuses two entries for one day', async () => {
    const before = await calendar();
    const twice = [{ date: '2026-12-10', kind: 'holiday', name: '甲' }, { date: '2026-12-10', kind: 'makeup_workday', name: '乙' }];
    const res = await ops.request('PUT', '/api/v1/admin/service-calendar', { basedOnRev: before.rev, ...BASE, holidays: twice }, WRITE);
    expect(res.status).toBe(400);
    expect(res.body.issues[0]).toMatchObject({ path: 'holidays', message: expect.stringContaining('同一天') });
  });

  it('reads a revision stored before holidays existed as the shipped schedule, and saving it writes them out', async () => {
    const before = await calendar();
    await ServiceCalendarRevision.create({ rev: before.rev + 1, ...BASE, changedBy: 'an-older-version', changedAt: new Date() });
    const legacy = await calendar();
    expect(legacy.holidays).not.toContainEqual(expect.objectContaining({ date: '2026-12-03' }));
    expect(legacy.holidays).toContainEqual({ date: '2026-10-01', kind: 'holiday', name: '国庆节' });
    expect(reviewDeadline(DELIVERED, await currentWorkingDayCalendar()).toISOString()).toBe(END_OF_DEC_3);

    const saved = await ops.request('PUT', '/api/v1/admin/service-calendar', { basedOnRev: legacy.rev, ...BASE }, WRITE);
    expect(saved.status).toBe(200);
    const stored = await ServiceCalendarRevision.findOne({ rev: legacy.rev + 1 }).lean();
    expect(stored?.holidays).toHaveLength(legacy.holidays.length);
  });
});
