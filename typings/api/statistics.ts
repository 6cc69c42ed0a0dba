/**
 * The ops statistics page (`GET /api/v1/admin/statistics`, role ops) and its CSV exports.
 *
 * Every day is an Asia/Shanghai calendar day ('YYYY-MM-DD'); hours are Asia/Shanghai clock hours (0–23).
 * A case belongs to the day, hour, weekday, brigade and district of its report (`reportedAt`), whatever
 * happened to it later: a range's figures are "what became of the cases reported in it".
 * Durations are whole seconds. A share is a fraction 0…1, or null when its denominator is 0 (never NaN).
 */

/** Query string of both endpoints (all optional). */
export interface StatisticsQuery {
  /** First day, inclusive. Default: 29 days before `to` (30 days in all). */
  from?: string;
  /** Last day, inclusive. Default: today. At most 400 days from `from`; not before it. */
  to?: string;
  /** A brigade's code; absent = the whole city. */
  brigade?: string;
  /** For `arrivalsVsDuty`: one day inside the range; absent = every day of the range averaged. */
  day?: string;
}

/** The tables `GET /api/v1/admin/statistics/export/:table.csv` serves, one CSV each. */
export type StatisticsTable =
  | 'per-day'
  | 'per-hour'
  | 'per-weekday'
  | 'per-brigade'
  | 'per-district'
  | 'outcomes'
  | 'redirect-reasons'
  | 'service-level-by-week'
  | 'wait-histogram'
  | 'handling-histogram'
  | 'arrivals-vs-duty'
  | 'reviews'
  | 'insurer-handoffs';

export interface StatisticsTotals {
  /** Cases reported (every case that left the draft: queued or refused at the report). */
  reported: number;
  /** Reports refused at once by the rules (not eligible: redirected before any queue). */
  refused: number;
  /** Entered the queue (reported − refused). */
  queued: number;
  /** Answered by a dispatcher and not handed back since (`answeredAt` set). */
  answered: number;
  /** Released to leave the scene (the case reached `released` or any later state). */
  released: number;
  /** The parties' liability decided (认定). */
  decided: number;
  /** The 认定书 delivered to every party. */
  delivered: number;
}

/** Where the reported cases ended up (each case in exactly one bucket; the buckets sum to `totals.reported`). */
export interface StatisticsOutcomes {
  /** Reached `released` (or a later state: determined, delivered, review…, closed). */
  released: number;
  /** Redirected by the dispatcher on the call (转其他方式处理). */
  redirected: number;
  /** Refused by the rules when reported (not eligible). */
  refused: number;
  /** The caller gave up waiting. */
  cancelled: number;
  /** Nobody answered in time, or the call went silent; still `abandoned` now. */
  abandoned: number;
  /** Still waiting or on the call now. */
  open: number;
}

export interface RedirectReasonCount {
  /** 'dispatcher': the reason the dispatcher gave (free text, trimmed); 'refused': a rule's code at the report. */
  source: 'dispatcher' | 'refused';
  reason: string;
  /** In words: the dispatcher's reason itself, or what the rule's code means. */
  label: string;
  count: number;
}

/** Percentiles by the nearest-rank method (the smallest sample with at least p % of samples ≤ it). */
export interface DurationSummary {
  /** Samples (cases) measured. */
  count: number;
  p50Seconds: number | null;
  p90Seconds: number | null;
  meanSeconds: number | null;
}

export interface HistogramBin {
  /** Inclusive lower edge. */
  fromSeconds: number;
  /** Exclusive upper edge; null on the last bin (everything from `fromSeconds` up). */
  toSeconds: number | null;
  count: number;
}

export interface Histogram {
  /** Width of every bin but the last (open-ended) one. */
  binSeconds: number;
  bins: HistogramBin[];
}

/**
 * The 5-minute service level.
 * - `eligible`: cases answered by a dispatcher (`answeredAt` set) whose call has ended (not `in_call` /
 *   `collecting` now — their clock is still running).
 * - `releasedWithin`: those of them released with answer → release ≤ `targetSeconds` (300 s).
 *   A case redirected or abandoned after the answer counts in `eligible` but not here.
 * - `share` = releasedWithin / eligible.
 * - `answeredWithin`: of the `answered` cases, those with report → answer ≤ `answerTargetSeconds` (60 s);
 *   `answeredShare` = answeredWithin / answered.
 */
export interface ServiceLevel {
  targetSeconds: number;
  eligible: number;
  releasedWithin: number;
  share: number | null;
  answerTargetSeconds: number;
  answered: number;
  answeredWithin: number;
  answeredShare: number | null;
}

export interface DayRow {
  date: string;
  reported: number;
  answered: number;
  released: number;
}

export interface HourRow {
  /** 0–23, Asia/Shanghai. */
  hour: number;
  reported: number;
  /** reported / days in the range. */
  perDay: number;
}

export interface WeekdayRow {
  /** ISO: 1 = Monday … 7 = Sunday. */
  weekday: number;
  reported: number;
  /** How many of this weekday the range holds. */
  days: number;
  /** reported / days (0 when the range holds none). */
  perDay: number;
}

export interface BrigadeRow {
  brigadeCode: string;
  brigadeName: string;
  reported: number;
  answered: number;
  released: number;
  serviceLevel: ServiceLevel;
  answerWait: DurationSummary;
  handling: DurationSummary;
}

export interface DistrictRow {
  /** Null for cases outside every district (shown as 未知). */
  adcode: string | null;
  name: string;
  reported: number;
  released: number;
}

export interface WeekRow {
  /** ISO week, e.g. '2026-W14' (weeks start on Monday, Asia/Shanghai). */
  isoWeek: string;
  /** Its Monday. */
  weekStart: string;
  serviceLevel: ServiceLevel;
}

export interface ReviewStatistics {
  /** Cases whose 认定书 was delivered. */
  delivered: number;
  /** Of them, a 复核 was applied for. */
  requested: number;
  /** requested / delivered. */
  rate: number | null;
  /** The review's status now: received (not yet accepted), accepted (being reviewed), not_accepted, upheld (维持), redone (重新认定). */
  outcomes: { received: number; accepted: number; not_accepted: number; upheld: number; redone: number };
}

export interface InsurerHandoffStatistics {
  /** Hand-offs of the range's cases (one per party and insurer). */
  total: number;
  accepted: number;
  failed: number;
  sending: number;
  /** Cases with at least one hand-off. */
  cases: number;
  byInsurer: { insurerCode: string; insurerName: string; total: number; accepted: number }[];
}

/** "A day's arrivals against dispatchers on duty". */
export interface ArrivalsVsDuty {
  /** The day shown, or null: every day of the range averaged. */
  day: string | null;
  hours: {
    hour: number;
    /** Cases reported in that hour (averaged per day when `day` is null). */
    arrivals: number;
    /** Dispatchers on duty in that hour from the staff duty log (averaged per day when `day` is null). */
    dispatchersOnDuty: number;
  }[];
}

export interface StatisticsResponse {
  range: {
    from: string;
    to: string;
    days: number;
    brigade: { code: string; name: string } | null;
    timeZone: 'Asia/Shanghai';
  };
  generatedAt: string;
  totals: StatisticsTotals;
  /** Every day of the range, zeros included, in order. */
  perDay: DayRow[];
  /** Always 24 rows. */
  perHour: HourRow[];
  /** Always 7 rows, Monday first. */
  perWeekday: WeekdayRow[];
  /** Every brigade (the one asked for only, when filtered), zeros included. */
  perBrigade: BrigadeRow[];
  /** Districts with at least one case, most first. */
  perDistrict: DistrictRow[];
  outcomes: StatisticsOutcomes;
  /** Most first. */
  redirectReasons: RedirectReasonCount[];
  /** Report → answer, over the answered cases. */
  answerWait: DurationSummary;
  /** Answer → release (`handlingSeconds`), over the released cases. */
  handling: DurationSummary;
  serviceLevel: ServiceLevel;
  /** ISO weeks touching the range (counting only the range's days), in order. */
  serviceLevelByWeek: WeekRow[];
  reviews: ReviewStatistics;
  insurerHandoffs: InsurerHandoffStatistics;
  /** Report → answer, 30 s bins to 10 min, then one open bin. */
  waitHistogram: Histogram;
  /** Answer → release, 30 s bins to 20 min, then one open bin. */
  handlingHistogram: Histogram;
  arrivalsVsDuty: ArrivalsVsDuty;
}
