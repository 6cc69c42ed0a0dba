import { DateTime } from 'luxon';
import { z } from 'zod';
import { AppError } from '../platform/errors';
import { ZONE } from './calendar';

/** The longest range one request may ask for (a year and a little, for "this year against last"). */
export const MAX_RANGE_DAYS = 400;
/** Without `from`: the 30 days up to `to`. */
export const DEFAULT_RANGE_DAYS = 30;

const calendarDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((d) => DateTime.fromISO(d, { zone: ZONE }).isValid, '不是有效的日期');

export const statisticsQuerySchema = z.object({
  from: calendarDay.optional(),
  to: calendarDay.optional(),
  brigade: z.string().trim().min(1).max(32).regex(/^[A-Za-z0-9_-]+$/, '大队代码格式不正确').optional(),
  day: calendarDay.optional(),
});

/** A checked range: Beijing days, inclusive, and the instants that bound them. */
export interface StatisticsRange {
  from: string;
  to: string;
  days: string[];
  /** 00:00 Beijing of `from`, and of the day after `to`. */
  start: Date;
  end: Date;
  brigade: string | null;
  day: string | null;
}

const rangeError = (message: string) => new AppError(400, 'STATISTICS_RANGE_INVALID', message);

/** The query as a range, with the defaults filled in and the limits held (400 STATISTICS_RANGE_INVALID). */
export function toRange(query: z.infer<typeof statisticsQuerySchema>, now: Date): StatisticsRange {
  const to = query.to ? DateTime.fromISO(query.to, { zone: ZONE }) : DateTime.fromJSDate(now, { zone: ZONE }).startOf('day');
  const from = query.from ? DateTime.fromISO(query.from, { zone: ZONE }) : to.minus({ days: DEFAULT_RANGE_DAYS - 1 });
  if (to < from) throw rangeError('结束日期不能早于开始日期');
  const count = Math.round(to.diff(from, 'days').days) + 1;
  if (count > MAX_RANGE_DAYS) throw rangeError(`统计范围最多 ${MAX_RANGE_DAYS} 天`);
  const days = Array.from({ length: count }, (_, i) => from.plus({ days: i }).toISODate()!);
  const day = query.day ?? null;
  if (day && !days.includes(day)) throw rangeError('所选日期不在统计范围内');
  return { from: days[0]!, to: days.at(-1)!, days, start: from.toJSDate(), end: to.plus({ days: 1 }).toJSDate(), brigade: query.brigade ?? null, day };
}
