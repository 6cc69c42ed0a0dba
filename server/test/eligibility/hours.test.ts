import { DEFAULT_CALENDAR, checkHours, type ServiceCalendar } from '../../src/eligibility/hours';

/** A Beijing wall-clock time as the instant it is (UTC+8, no DST in China since 1991). */
const beijing = (isoLocal: string) => new Date(`${isoLocal}+08:00`);

describe('eligibility/hours', () => {
  it.each([
    ['07:29', false, 'OUTSIDE_HOURS'],
    ['07:30', true, 'OPEN'],
    ['19:29', true, 'OPEN'],
    ['19:30', false, 'OUTSIDE_HOURS'],
    ['19:31', false, 'OUTSIDE_HOURS'],
  ])('at %s Beijing time the service is open: %s', (time, ok, code) => {
    const verdict = checkHours(beijing(`2026-11-25T${time}:00`), DEFAULT_CALENDAR, [], 'JM-PJ');
    expect(verdict).toMatchObject({ ok, code });
  });

  it('does not depend on the server clock zone: 23:30 UTC is 07:30 the next morning in Jiangmen', () => {
    expect(checkHours(new Date('2026-11-24T23:30:00Z'), DEFAULT_CALENDAR, [], null).ok).toBe(true);
    expect(checkHours(new Date('2026-11-25T11:30:00Z'), DEFAULT_CALENDAR, [], null).ok).toBe(false);
  });

  it('says when it opens next and what to do now', () => {
    const evening = checkHours(beijing('2026-11-25T20:05:00'), DEFAULT_CALENDAR, [], null);
    expect(evening).toMatchObject({ ok: false, alternatives: ['call_122', 'photo_quick_handling', 'self_settlement'], nextOpenAt: '2026-11-25T23:30:00.000Z' });
    expect(evening.reason).toMatch(/明天 07:30 恢复服务/);
    const early = checkHours(beijing('2026-11-25T06:00:00'), DEFAULT_CALENDAR, [], null);
    expect(early.reason).toMatch(/今天 07:30 恢复服务/);
  });

  const withExceptions: ServiceCalendar = {
    ...DEFAULT_CALENDAR,
    exceptions: [
      { date: '2026-12-01', closed: true, reason: '系统维护' },
      { date: '2026-12-02', closed: false, opensAt: '09:00', closesAt: '17:00', reason: '调整服务时间' },
    ],
  };

  it('honours a closed day and changed hours from the calendar, and skips a closed day when saying when it reopens', () => {
    expect(checkHours(beijing('2026-12-01T10:00:00'), withExceptions, [], null)).toMatchObject({ ok: false, nextOpenAt: '2026-12-02T01:00:00.000Z' });
    expect(checkHours(beijing('2026-12-02T08:00:00'), withExceptions, [], null).ok).toBe(false);
    expect(checkHours(beijing('2026-12-02T16:59:00'), withExceptions, [], null).ok).toBe(true);
    expect(checkHours(beijing('2026-11-30T19:45:00'), withExceptions, [], null).nextOpenAt).toBe('2026-12-02T01:00:00.000Z');
  });

  it('is closed before the trial run starts, and says from when', () => {
    const verdict = checkHours(beijing('2026-05-27T10:00:00'), DEFAULT_CALENDAR, [], null);
    expect(verdict).toMatchObject({ ok: false, code: 'NOT_YET_OPEN', nextOpenAt: '2026-05-27T23:30:00.000Z' });
    expect(verdict.reason).toContain('2026-05-28');
    expect(checkHours(beijing('2026-05-28T07:30:00'), DEFAULT_CALENDAR, [], null).ok).toBe(true);
  });

  it('is suspended for a brigade or the whole city, with the reason and the on-scene alternative', () => {
    const fog = { brigadeCode: 'JM-TS', reason: '大雾', since: beijing('2026-11-25T06:00:00'), until: beijing('2026-11-25T12:00:00') };
    const noon = beijing('2026-11-25T10:00:00');
    expect(checkHours(noon, DEFAULT_CALENDAR, [fog], 'JM-PJ').ok).toBe(true);
    const suspended = checkHours(noon, DEFAULT_CALENDAR, [fog], 'JM-TS');
    expect(suspended).toMatchObject({ ok: false, code: 'SUSPENDED', alternatives: ['call_122', 'officer_on_scene'], nextOpenAt: '2026-11-25T04:00:00.000Z' });
    expect(suspended.reason).toContain('大雾');
    expect(checkHours(beijing('2026-11-25T12:00:00'), DEFAULT_CALENDAR, [fog], 'JM-TS').ok).toBe(true);
    const storm = { brigadeCode: null, reason: '台风', since: beijing('2026-11-25T08:00:00'), until: null };
    expect(checkHours(noon, DEFAULT_CALENDAR, [storm], 'JM-PJ')).toMatchObject({ ok: false, code: 'SUSPENDED', nextOpenAt: null });
  });
});
