import { readFileSync } from 'node:fs';
import { parseShippedHolidays, shippedHolidays, SHIPPED_HOLIDAYS_PATH, withShippedHolidays } from '../../src/eligibility/holidays';
import { isWorkingDay, reviewDeadline, reviewDeadlineDay, type WorkingDayCalendar } from '../../src/eligibility/working-days';

const beijing = (isoLocal: string) => new Date(`${isoLocal}+08:00`);
/** 24:00 Beijing time of `day`, i.e. 00:00 +08:00 of the next day, as an ISO instant. */
const endOf = (day: string) => {
  const next = new Date(`${day}T00:00:00+08:00`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString();
};
const shipped: WorkingDayCalendar = { holidays: shippedHolidays() };
const deadline = (deliveredAt: Date, calendar = shipped) => reviewDeadline(deliveredAt, calendar).toISOString();

describe('working days: weekends, public holidays and make-up working days (Beijing dates)', () => {
  it.each([
    ['2026-12-01', true, 'a Tuesday'],
    ['2026-12-05', false, 'a Saturday'],
    ['2026-12-06', false, 'a Sunday'],
    ['2026-10-08', true, 'the Thursday after National Day'],
    ['2026-10-05', false, 'a Monday inside National Day (国庆节)'],
    ['2026-02-18', false, 'a Wednesday inside the Spring Festival (春节)'],
    ['2026-02-14', true, 'the make-up working Saturday before the Spring Festival'],
    ['2026-09-20', true, 'the make-up working Sunday before National Day'],
    ['2026-10-10', true, 'the make-up working Saturday after National Day'],
  ])('%s is a working day: %s (%s)', (date, working) => {
    expect(isWorkingDay(date, shipped)).toBe(working);
  });

  it('takes an instant by its Beijing date, whatever the server zone', () => {
    // 2026-12-04T16:30Z is Saturday 00:30 in Beijing, still Friday in UTC.
    expect(isWorkingDay(new Date('2026-12-04T16:30:00Z'), shipped)).toBe(false);
    expect(isWorkingDay(new Date('2026-12-04T15:59:00Z'), shipped)).toBe(true);
  });

  it('refuses a date that does not exist instead of guessing', () => {
    expect(() => isWorkingDay('2026-02-30', shipped)).toThrow(RangeError);
    expect(() => isWorkingDay('30/11/2026', shipped)).toThrow(RangeError);
    expect(() => reviewDeadline(new Date('nonsense'), shipped)).toThrow(RangeError);
  });
});

describe('the 复核 deadline: 自送达之日起三日内, the delivery day not counted, ending on a working day', () => {
  it('gives the same deadline for delivery at 00:01 and at 23:59 (Monday 2026-11-30 → end of Thursday 2026-12-03)', () => {
    expect(deadline(beijing('2026-11-30T00:01:00'))).toBe('2026-12-03T16:00:00.000Z');
    expect(deadline(beijing('2026-11-30T23:59:00'))).toBe('2026-12-03T16:00:00.000Z');
    expect(reviewDeadlineDay(beijing('2026-11-30T23:59:00'), shipped)).toBe('2026-12-03');
    expect(deadline(beijing('2026-11-30T12:00:00'))).toBe(endOf('2026-12-03'));
  });

  it('counts from the Beijing date of a UTC instant late in the evening (2026-11-30T17:30Z is 1 December 01:30)', () => {
    expect(reviewDeadlineDay(new Date('2026-11-30T17:30:00Z'), shipped)).toBe('2026-12-04');
    expect(deadline(new Date('2026-11-30T17:30:00Z'))).toBe(endOf('2026-12-04'));
    // One minute before Beijing midnight it is still 30 November.
    expect(deadline(new Date('2026-11-30T15:59:00Z'))).toBe(endOf('2026-12-03'));
  });

  it('runs across a month end (Monday 30 March → end of Thursday 2 April)', () => {
    expect(reviewDeadlineDay(beijing('2026-03-30T10:00:00'), shipped)).toBe('2026-04-02');
    expect(deadline(beijing('2026-03-30T10:00:00'))).toBe(endOf('2026-04-02'));
  });

  it('moves a third day on a Saturday to the Monday (Wednesday 2 December → end of Monday 7 December)', () => {
    expect(reviewDeadlineDay(beijing('2026-12-02T15:00:00'), shipped)).toBe('2026-12-07');
    expect(deadline(beijing('2026-12-02T15:00:00'))).toBe(endOf('2026-12-07'));
  });

  it('moves a third day inside a public holiday to the first working day after it', () => {
    // National Day 1–7 October 2026: delivered Monday 28 September, the third day is 1 October.
    expect(reviewDeadlineDay(beijing('2026-09-28T09:00:00'), shipped)).toBe('2026-10-08');
    // Spring Festival 15–23 February 2026: delivered Thursday 12 February, the third day is Sunday 15 February.
    expect(reviewDeadlineDay(beijing('2026-02-12T09:00:00'), shipped)).toBe('2026-02-24');
    expect(deadline(beijing('2026-02-12T09:00:00'))).toBe(endOf('2026-02-24'));
  });

  it('ends on a make-up working Saturday (调休上班) as on any working day', () => {
    // Wednesday 25 February: the third day is Saturday 28 February, a make-up working day.
    expect(reviewDeadlineDay(beijing('2026-02-25T09:00:00'), shipped)).toBe('2026-02-28');
    // Delivered on a holiday (7 October): the third day is Saturday 10 October, a make-up working day.
    expect(reviewDeadlineDay(beijing('2026-10-07T09:00:00'), shipped)).toBe('2026-10-10');
    // Without the make-up day the same delivery would run to Monday 12 October.
    const noMakeup = { holidays: shipped.holidays.filter((h) => h.date !== '2026-10-10') };
    expect(reviewDeadlineDay(beijing('2026-10-07T09:00:00'), noMakeup)).toBe('2026-10-12');
  });

  it('follows the calendar it is given: a holiday added on the third day moves the deadline', () => {
    const withExtra = { holidays: [...shipped.holidays, { date: '2026-12-03', kind: 'holiday' as const, name: '临时调整' }] };
    expect(deadline(beijing('2026-11-30T10:00:00'), withExtra)).toBe(endOf('2026-12-04'));
  });

  it('runs into next year on the statutory days known before its notice (Tuesday 29 December → end of Monday 4 January 2027)', () => {
    // 1 January 2027 (Friday) is 元旦 by the statutory list; 2 and 3 January are a weekend.
    expect(reviewDeadlineDay(beijing('2026-12-29T09:00:00'), shipped)).toBe('2027-01-04');
  });

  it('stops on holiday data that leaves no working day for weeks, instead of looping', () => {
    const month = Array.from({ length: 40 }, (_, i) => ({ date: new Date(Date.UTC(2026, 11, 1 + i)).toISOString().slice(0, 10), kind: 'holiday' as const, name: '错误数据' }));
    expect(() => reviewDeadline(beijing('2026-11-30T10:00:00'), { holidays: month })).toThrow(/holiday data/);
  });
});

describe('the shipped holiday schedule (server/data/cn-public-holidays.json)', () => {
  it('holds the 2026 notice: 33 days off in 7 periods and 6 make-up working days', () => {
    const y2026 = shippedHolidays().filter((h) => h.date.startsWith('2026-'));
    expect(y2026.filter((h) => h.kind === 'holiday')).toHaveLength(33);
    expect(y2026.filter((h) => h.kind === 'makeup_workday').map((h) => h.date)).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    expect(new Set(y2026.map((h) => h.name))).toEqual(new Set(['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节']));
  });

  it('says where each year comes from, and that 2027 is not yet published', () => {
    const file = JSON.parse(readFileSync(SHIPPED_HOLIDAYS_PATH, 'utf8')) as { years: { year: number; status: string; source: string }[] };
    expect(file.years.find((y) => y.year === 2026)).toMatchObject({ status: 'official', source: expect.stringContaining('国务院办公厅关于2026年部分节假日安排的通知') });
    expect(file.years.find((y) => y.year === 2027)?.status).toMatch(/not yet published/);
    // 2027: the 13 statutory days only, no make-up working day invented.
    const y2027 = shippedHolidays().filter((h) => h.date.startsWith('2027-'));
    expect(y2027).toHaveLength(13);
    expect(y2027.every((h) => h.kind === 'holiday')).toBe(true);
  });

  it('refuses a data file with an impossible date, a day listed twice, or a day of another year', () => {
    const file = (periods: unknown[]) => JSON.stringify({ years: [{ year: 2026, status: 'official', source: 'test', periods }] });
    expect(() => parseShippedHolidays(file([{ name: '春节', days: ['2026-02-30'], makeupWorkdays: [] }]))).toThrow();
    expect(() => parseShippedHolidays(file([{ name: '春节', days: ['2026-02-16'], makeupWorkdays: ['2026-02-16'] }]))).toThrow(/twice/);
    expect(() => parseShippedHolidays(file([{ name: '元旦', days: ['2027-01-01'], makeupWorkdays: [] }]))).toThrow(/not in 2026/);
  });

  it('seeds a calendar that has no holidays, adds a shipped year it lacks, keeps ops’ own list, and is idempotent', () => {
    const ship = [
      { date: '2026-10-01', kind: 'holiday' as const, name: '国庆节' },
      { date: '2027-01-01', kind: 'holiday' as const, name: '元旦' },
    ];
    expect(withShippedHolidays(undefined, ship)).toEqual(ship);
    const ops = [{ date: '2026-10-02', kind: 'holiday' as const, name: '国庆节' }];
    const merged = withShippedHolidays(ops, ship);
    expect(merged.map((h) => h.date)).toEqual(['2026-10-02', '2027-01-01']);
    expect(withShippedHolidays(merged, ship)).toEqual(merged);
  });
});
