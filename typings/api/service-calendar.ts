import type { CalendarHoliday } from './eligibility';

/** A day that differs from the daily hours: closed, or open at other hours. */
export interface CalendarExceptionView {
  /** YYYY-MM-DD, Beijing date. */
  date: string;
  closed: boolean;
  /** "HH:mm" Beijing time; absent: the daily hours. */
  opensAt?: string;
  closesAt?: string;
  reason: string;
}

/** The service calendar in force (revision `rev`; 0 = the default, never saved). */
export interface ServiceCalendarView {
  rev: number;
  /** "HH:mm", Beijing time: the daily hours (the closing minute is already closed). */
  opensAt: string;
  closesAt: string;
  /** YYYY-MM-DD: the first day of the trial run (earlier days are closed). */
  trialStartsOn: string;
  /** YYYY-MM-DD: the official launch. */
  launchOn: string;
  exceptions: CalendarExceptionView[];
  /** Public holidays and make-up working days; they also decide the 复核 deadline (working days). */
  holidays: CalendarHoliday[];
}

/** A new revision on top of `basedOnRev`; 409 CONFLICT when someone saved another one meanwhile. */
export interface SaveServiceCalendarRequest extends Omit<ServiceCalendarView, 'rev' | 'holidays'> {
  basedOnRev: number;
  /** Absent: the holidays in force are kept. */
  holidays?: CalendarHoliday[];
}

export interface ServiceCalendarResponse {
  calendar: ServiceCalendarView;
}

/** A suspension in force now. */
export interface SuspensionView {
  id: string;
  /** null: the whole city. */
  brigadeCode: string | null;
  reason: string;
  /** ISO instant. */
  since: string;
  /** ISO instant; null: until lifted by hand. */
  until: string | null;
  /** Who suspended it (name null when the account is gone). */
  by: { id: string; name: string | null };
}

export interface ServiceCalendarAdminResponse extends ServiceCalendarResponse {
  /** Only those in force at the server's now: lifted and expired ones are gone. */
  suspensions: SuspensionView[];
}

/** Stop the service now, for one brigade or (brigadeCode null) the whole city. */
export interface SuspendRequest {
  brigadeCode: string | null;
  /** What drivers read: 大雾、暴雨、光线不足 … (2–100 characters). */
  reason: string;
  /** ISO instant with offset, after now; null / absent: until lifted by hand. */
  until?: string | null;
}

export interface SuspendResponse {
  id: string;
}
