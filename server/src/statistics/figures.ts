import type {
  ArrivalsVsDuty,
  BrigadeRow,
  DistrictRow,
  DurationSummary,
  Histogram,
  InsurerHandoffStatistics,
  RedirectReasonCount,
  ReviewStatistics,
  ServiceLevel,
  StatisticsOutcomes,
  StatisticsResponse,
  WeekRow,
} from '../../../typings/api/statistics';
import { DateTime } from 'luxon';
import { ZONE } from './calendar';
import { CASE_OUTCOMES, type CaseOutcome } from '../cases';
import type { StatisticsRange } from './statistics.schemas';

/** The 5-minute target (answer → release) and the 60-second answer target. */
export const RELEASE_TARGET_SECONDS = 300;
export const ANSWER_TARGET_SECONDS = 60;
const BIN_SECONDS = 30;
const WAIT_BINS = 20; // 10 min, then one open bin
const HANDLING_BINS = 40; // 20 min, then one open bin

/** What the figures are computed from: one row per case (case_stats), counted here in plain loops. */
export interface FigureRow {
  brigadeCode: string | null;
  districtAdcode: string | null;
  districtName: string;
  day: string;
  hour: number;
  weekday: number;
  isoWeek: string;
  outcome: string;
  onCall: boolean;
  reason: string | null;
  waitSeconds: number | null;
  handlingSeconds: number | null;
  decided: boolean;
  delivered: boolean;
  reviewStatus: string | null;
  /** The case's hand-offs to insurers (one per party at most). */
  handoffs: { insurerCode: string; insurerName: string; status: string }[];
}

/** Words for the rule codes a report can be refused with (the dispatcher's reasons are words already). */
const REFUSED_LABELS: Record<string, string> = {
  OUTSIDE_HOURS: '不在服务时间',
  NOT_YET_OPEN: '服务尚未开通',
  SUSPENDED: '服务暂停',
  OUTSIDE_AREA: '不在服务区域',
  NEAR_BORDER: '靠近辖区边界',
  NO_BRIGADE: '该地区未开通',
  ON_EXCLUDED_ROAD: '在高速公路或快速路上',
  EXCLUDED_ROAD_NAME: '在高速公路或快速路上',
  TOO_FEW_VEHICLES: '单车事故',
  TOO_MANY_VEHICLES: '三车以上',
  NOT_MOTOR_VEHICLES: '涉及行人或非机动车',
  INJURY: '有人受伤',
  NOT_DRIVABLE: '车辆不能移动',
  FACTS_DISPUTED: '对事实有争议',
  UNLICENSED: '无证驾驶',
  DRINK_OR_DRUGS: '涉嫌酒驾毒驾',
  LEFT_SCENE: '当事人驶离现场',
};
export const refusedLabel = (code: string) => REFUSED_LABELS[code] ?? code;

/**
 * Nearest-rank percentile: the smallest sample with at least p % of the samples at or below it
 * (rank ⌈p/100 · n⌉ of the sorted samples). Always one of the measured values, never an average of
 * two; null without samples.
 */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function durationSummary(samples: number[]): DurationSummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    p50Seconds: nearestRank(sorted, 50),
    p90Seconds: nearestRank(sorted, 90),
    meanSeconds: sorted.length ? Math.round(sum / sorted.length) : null,
  };
}

export function histogram(samples: number[], bins: number): Histogram {
  const counts = new Array<number>(bins + 1).fill(0);
  for (const s of samples) counts[Math.min(bins, Math.floor(s / BIN_SECONDS))]! += 1;
  return {
    binSeconds: BIN_SECONDS,
    bins: counts.map((count, i) => ({ fromSeconds: i * BIN_SECONDS, toSeconds: i < bins ? (i + 1) * BIN_SECONDS : null, count })),
  };
}

const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/** The service level of some cases (ServiceLevel states the definition). */
export function serviceLevel(rows: readonly FigureRow[]): ServiceLevel {
  let eligible = 0;
  let releasedWithin = 0;
  let answered = 0;
  let answeredWithin = 0;
  for (const r of rows) {
    if (r.waitSeconds === null) continue;
    answered++;
    if (r.waitSeconds <= ANSWER_TARGET_SECONDS) answeredWithin++;
    if (r.onCall) continue;
    eligible++;
    if (r.outcome === 'released' && r.handlingSeconds !== null && r.handlingSeconds <= RELEASE_TARGET_SECONDS) releasedWithin++;
  }
  return {
    targetSeconds: RELEASE_TARGET_SECONDS,
    eligible,
    releasedWithin,
    share: share(releasedWithin, eligible),
    answerTargetSeconds: ANSWER_TARGET_SECONDS,
    answered,
    answeredWithin,
    answeredShare: share(answeredWithin, answered),
  };
}

const waits = (rows: readonly FigureRow[]) => rows.flatMap((r) => (r.waitSeconds === null ? [] : [r.waitSeconds]));
const handlings = (rows: readonly FigureRow[]) => rows.flatMap((r) => (r.outcome === 'released' && r.handlingSeconds !== null ? [r.handlingSeconds] : []));

function groupBy<K>(rows: readonly FigureRow[], key: (r: FigureRow) => K): Map<K, FigureRow[]> {
  const groups = new Map<K, FigureRow[]>();
  for (const r of rows) {
    const k = key(r);
    const list = groups.get(k);
    if (list) list.push(r);
    else groups.set(k, [r]);
  }
  return groups;
}

export interface FigureInput {
  range: StatisticsRange;
  rows: readonly FigureRow[];
  /** Staff on duty per brigade and Beijing hour (the staff duty log), already limited to the range and brigade. */
  duty: readonly { brigadeCode: string; day: string; hour: number; staffCount: number }[];
  brigades: readonly { code: string; name: string }[];
}

export function computeFigures(input: FigureInput): Omit<StatisticsResponse, 'range' | 'generatedAt'> {
  const { range, rows } = input;
  const count = (outcome: string) => rows.filter((r) => r.outcome === outcome).length;
  const byOutcome = {} as Record<CaseOutcome, number>;
  for (const outcome of CASE_OUTCOMES) byOutcome[outcome] = count(outcome);
  const outcomes: StatisticsOutcomes = byOutcome;
  const answered = rows.filter((r) => r.waitSeconds !== null).length;

  const byDay = groupBy(rows, (r) => r.day);
  const byHour = groupBy(rows, (r) => r.hour);
  const byWeekday = groupBy(rows, (r) => r.weekday);
  const weekdayDays = new Map<number, number>();
  for (const day of range.days) {
    const weekday = DateTime.fromISO(day, { zone: ZONE }).weekday;
    weekdayDays.set(weekday, (weekdayDays.get(weekday) ?? 0) + 1);
  }
  const byBrigade = groupBy(rows, (r) => r.brigadeCode);
  const brigades = range.brigade ? input.brigades.filter((b) => b.code === range.brigade) : input.brigades;

  const perBrigade: BrigadeRow[] = brigades.map((b) => {
    const mine = byBrigade.get(b.code) ?? [];
    return {
      brigadeCode: b.code,
      brigadeName: b.name,
      reported: mine.length,
      answered: mine.filter((r) => r.waitSeconds !== null).length,
      released: mine.filter((r) => r.outcome === 'released').length,
      serviceLevel: serviceLevel(mine),
      answerWait: durationSummary(waits(mine)),
      handling: durationSummary(handlings(mine)),
    };
  });

  const perDistrict: DistrictRow[] = [...groupBy(rows, (r) => r.districtAdcode ?? '').entries()]
    .map(([adcode, mine]) => ({ adcode: adcode || null, name: mine[0]!.districtName || '未知', reported: mine.length, released: mine.filter((r) => r.outcome === 'released').length }))
    .sort((a, b) => b.reported - a.reported || (a.adcode ?? '').localeCompare(b.adcode ?? ''));

  const reasons = new Map<string, RedirectReasonCount>();
  for (const r of rows) {
    if ((r.outcome !== 'redirected' && r.outcome !== 'refused') || !r.reason) continue;
    const source = r.outcome === 'refused' ? 'refused' : 'dispatcher';
    const key = `${source}|${r.reason}`;
    const entry = reasons.get(key) ?? { source, reason: r.reason, label: source === 'refused' ? refusedLabel(r.reason) : r.reason, count: 0 };
    entry.count++;
    reasons.set(key, entry);
  }

  // ISO weeks touching the range, each counted over the range's days only.
  const weeks = [...new Set(range.days.map((d) => DateTime.fromISO(d, { zone: ZONE }).toFormat("kkkk-'W'WW")))];
  const byWeek = groupBy(rows, (r) => r.isoWeek);
  const serviceLevelByWeek: WeekRow[] = weeks.map((isoWeek) => ({
    isoWeek,
    weekStart: DateTime.fromISO(isoWeek, { zone: ZONE }).toISODate()!,
    serviceLevel: serviceLevel(byWeek.get(isoWeek) ?? []),
  }));

  const reviewOutcomes = { received: 0, accepted: 0, not_accepted: 0, upheld: 0, redone: 0 };
  let delivered = 0;
  let requested = 0;
  for (const r of rows) {
    if (r.delivered) delivered++;
    if (r.reviewStatus) {
      requested++;
      if (r.reviewStatus in reviewOutcomes) reviewOutcomes[r.reviewStatus as keyof typeof reviewOutcomes]++;
    }
  }
  const reviews: ReviewStatistics = { delivered, requested, rate: share(requested, delivered), outcomes: reviewOutcomes };

  const byInsurer = new Map<string, { insurerCode: string; insurerName: string; total: number; accepted: number }>();
  const handoffs = rows.flatMap((r) => r.handoffs);
  for (const h of handoffs) {
    const entry = byInsurer.get(h.insurerCode) ?? { insurerCode: h.insurerCode, insurerName: h.insurerName, total: 0, accepted: 0 };
    entry.total++;
    if (h.status === 'accepted') entry.accepted++;
    byInsurer.set(h.insurerCode, entry);
  }
  const insurerHandoffs: InsurerHandoffStatistics = {
    total: handoffs.length,
    accepted: handoffs.filter((h) => h.status === 'accepted').length,
    failed: handoffs.filter((h) => h.status === 'failed').length,
    sending: handoffs.filter((h) => h.status === 'sending').length,
    cases: rows.filter((r) => r.handoffs.length > 0).length,
    byInsurer: [...byInsurer.values()].sort((a, b) => b.total - a.total || a.insurerCode.localeCompare(b.insurerCode)),
  };

  return {
    totals: {
      reported: rows.length,
      refused: outcomes.refused,
      queued: rows.length - outcomes.refused,
      answered,
      released: outcomes.released,
      decided: rows.filter((r) => r.decided).length,
      delivered,
    },
    perDay: range.days.map((date) => {
      const mine = byDay.get(date) ?? [];
      return { date, reported: mine.length, answered: mine.filter((r) => r.waitSeconds !== null).length, released: mine.filter((r) => r.outcome === 'released').length };
    }),
    perHour: Array.from({ length: 24 }, (_, hour) => {
      const reported = byHour.get(hour)?.length ?? 0;
      return { hour, reported, perDay: reported / range.days.length };
    }),
    perWeekday: Array.from({ length: 7 }, (_, i) => {
      const weekday = i + 1;
      const reported = byWeekday.get(weekday)?.length ?? 0;
      const days = weekdayDays.get(weekday) ?? 0;
      return { weekday, reported, days, perDay: days > 0 ? reported / days : 0 };
    }),
    perBrigade,
    perDistrict,
    outcomes,
    redirectReasons: [...reasons.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    answerWait: durationSummary(waits(rows)),
    handling: durationSummary(handlings(rows)),
    serviceLevel: serviceLevel(rows),
    serviceLevelByWeek,
    reviews,
    insurerHandoffs,
    waitHistogram: histogram(waits(rows), WAIT_BINS),
    handlingHistogram: histogram(handlings(rows), HANDLING_BINS),
    arrivalsVsDuty: arrivalsVsDuty(input),
  };
}

/** Arrivals and staff on duty per Beijing hour: one day's, or the range's days averaged. */
function arrivalsVsDuty(input: FigureInput): ArrivalsVsDuty {
  const { range } = input;
  const day = range.day;
  const arrivals = new Array<number>(24).fill(0);
  for (const r of input.rows) if (!day || r.day === day) arrivals[r.hour]! += 1;
  const duty = new Array<number>(24).fill(0);
  for (const d of input.duty) if (!day || d.day === day) duty[d.hour]! += d.staffCount;
  const days = day ? 1 : range.days.length;
  return { day, hours: arrivals.map((n, hour) => ({ hour, arrivals: n / days, dispatchersOnDuty: duty[hour]! / days })) };
}
