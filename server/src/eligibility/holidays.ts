import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { CalendarHoliday } from '../../../typings/api/eligibility';
import { freeText } from '../platform/free-text';
import { REPO_ROOT } from '../platform/paths';

/**
 * The public holidays and make-up working days of the service calendar: the shipped schedule
 * (server/data/cn-public-holidays.json, from the State Council General Office's notices, see
 * server/data/README.md) and the rule that merges it into what ops keep.
 */
export const SHIPPED_HOLIDAYS_PATH = join(REPO_ROOT, 'server/data/cn-public-holidays.json');

const realDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式为 YYYY-MM-DD')
  .refine((d) => DateTime.fromISO(d).isValid, '不是有效的日期');
const kind = z.enum(['holiday', 'makeup_workday'], { message: '类型只能是 holiday（放假）或 makeup_workday（调休上班）' });
const uniqueDates = (entries: readonly { date: string }[]) => new Set(entries.map((e) => e.date)).size === entries.length;

/** What ops send: each entry validated, one entry per date. */
export const holidaysSchema = z
  .array(z.object({ date: realDate, kind, name: freeText(20, { min: 1, minMessage: '请写明节日名称，如 春节' }) }))
  .max(1000)
  .refine(uniqueDates, { message: '同一天只能有一条节假日或调休记录' });

const shippedSchema = z.object({
  years: z
    .array(
      z.object({
        year: z.number().int().min(2000).max(2100),
        status: z.string().min(1),
        source: z.string().min(1),
        periods: z.array(z.object({ name: z.string().min(1).max(20), days: z.array(realDate).min(1), makeupWorkdays: z.array(realDate) })),
      }),
    )
    .min(1),
});

/** Reads and checks the shipped file: a wrong date or a day listed twice stops the server at start, not a deadline later. */
export function parseShippedHolidays(json: string): CalendarHoliday[] {
  const { years } = shippedSchema.parse(JSON.parse(json));
  const entries = years.flatMap((y) =>
    y.periods.flatMap((p) => {
      const dates = [...p.days, ...p.makeupWorkdays];
      const foreign = dates.find((d) => !d.startsWith(`${y.year}-`) && !p.makeupWorkdays.includes(d));
      if (foreign) throw new Error(`${SHIPPED_HOLIDAYS_PATH}: ${foreign} (${p.name}) is not in ${y.year}`);
      return [
        ...p.days.map((date): CalendarHoliday => ({ date, kind: 'holiday', name: p.name })),
        ...p.makeupWorkdays.map((date): CalendarHoliday => ({ date, kind: 'makeup_workday', name: p.name })),
      ];
    }),
  );
  if (!uniqueDates(entries)) throw new Error(`${SHIPPED_HOLIDAYS_PATH}: a date is listed twice`);
  return entries.sort((a, b) => a.date.localeCompare(b.date));
}

let shipped: readonly CalendarHoliday[] | undefined;
export function shippedHolidays(): readonly CalendarHoliday[] {
  shipped ??= Object.freeze(parseShippedHolidays(readFileSync(SHIPPED_HOLIDAYS_PATH, 'utf8')));
  return shipped;
}

/**
 * The holidays in force for a stored calendar: a revision saved before holidays existed (undefined)
 * gets the shipped ones; otherwise ops' list stands, and a shipped year it has no entry of at all (a
 * newer data file, e.g. next year's notice) is added. No year is without holidays, so an absent year
 * means "not yet known", never "deliberately emptied". Reading twice gives the same list: idempotent.
 */
export function withShippedHolidays(stored: readonly CalendarHoliday[] | undefined, ship: readonly CalendarHoliday[] = shippedHolidays()): CalendarHoliday[] {
  if (stored === undefined) return [...ship];
  const storedYears = new Set(stored.map((h) => h.date.slice(0, 4)));
  return [...stored, ...ship.filter((h) => !storedYears.has(h.date.slice(0, 4)))].sort((a, b) => a.date.localeCompare(b.date));
}
