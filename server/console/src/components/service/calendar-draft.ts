import type { CalendarHoliday } from '../../../../../typings/api/eligibility';
import type { CalendarExceptionView, SaveServiceCalendarRequest, ServiceCalendarView } from '../../../../../typings/api/service-calendar';

/** An exception as the form edits it: times '' while not set (the daily hours apply). */
export interface ExceptionDraft {
  date: string;
  closed: boolean;
  opensAt: string;
  closesAt: string;
  reason: string;
}

export interface CalendarDraft {
  opensAt: string;
  closesAt: string;
  trialStartsOn: string;
  launchOn: string;
  exceptions: ExceptionDraft[];
  holidays: CalendarHoliday[];
}

export function toDraft(calendar: ServiceCalendarView): CalendarDraft {
  return {
    opensAt: calendar.opensAt,
    closesAt: calendar.closesAt,
    trialStartsOn: calendar.trialStartsOn,
    launchOn: calendar.launchOn,
    exceptions: calendar.exceptions.map((e) => ({ date: e.date, closed: e.closed, opensAt: e.opensAt ?? '', closesAt: e.closesAt ?? '', reason: e.reason })),
    holidays: calendar.holidays.map((h) => ({ ...h })),
  };
}

/** The PUT body: a closed day carries no hours, an open one only the times that were set. */
export function toRequest(draft: CalendarDraft, basedOnRev: number): SaveServiceCalendarRequest {
  const exceptions = draft.exceptions.map((e): CalendarExceptionView => ({
      date: e.date,
      closed: e.closed,
      reason: e.reason.trim(),
      ...(!e.closed && e.opensAt ? { opensAt: e.opensAt } : {}),
      ...(!e.closed && e.closesAt ? { closesAt: e.closesAt } : {}),
    }));
  const holidays = [...draft.holidays].sort((a, b) => a.date.localeCompare(b.date)).map((h) => ({ ...h, name: h.name.trim() }));
  return { basedOnRev, opensAt: draft.opensAt, closesAt: draft.closesAt, trialStartsOn: draft.trialStartsOn, launchOn: draft.launchOn, exceptions, holidays };
}

/** A validation issue's path in words ("exceptions.2.reason" → "2026-10-08 例外的原因"), rows named by their date. */
export function calendarFieldName(path: string, sent: SaveServiceCalendarRequest): string | null {
  const top: Record<string, string> = { opensAt: '开始时间', closesAt: '结束时间', trialStartsOn: '试运行开始日期', launchOn: '正式上线日期', exceptions: '例外日期', holidays: '节假日' };
  const [field, index, leaf] = path.split('.');
  if (!field || !top[field]) return null;
  const rows = field === 'exceptions' ? sent.exceptions : field === 'holidays' ? sent.holidays : undefined;
  const row = index === undefined ? undefined : rows?.[Number(index)];
  if (!row) return top[field];
  const leaves: Record<string, string> = { date: '日期', reason: '原因', opensAt: '开始时间', closesAt: '结束时间', name: '名称', kind: '类型' };
  const what = `${row.date || '未填日期'} ${field === 'exceptions' ? '例外' : '节假日'}`;
  return leaf && leaves[leaf] ? `${what}的${leaves[leaf]}` : what;
}
