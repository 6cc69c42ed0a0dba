/**
 * The history model's parameters (rates, profiles, the words it draws from) and its seeded draws:
 * one random stream for every draw, and the time helpers the generator and the cases share.
 */
import exponential from '@stdlib/random-base-exponential';
import lognormal from '@stdlib/random-base-lognormal';
import { Types } from 'mongoose';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_BRIGADES } from '../../server/src/brigades/default-brigades';
import { DEFAULT_CALENDAR } from '../../server/src/eligibility/hours';
import { reviewDeadline } from '../../server/src/eligibility/working-days';
import { REPO_ROOT } from '../../server/src/platform/paths';

export const ZONE = 'Asia/Shanghai';
/** Marks generated cases (their Idempotency-Key), so a second run can replace the first. */
export const HISTORY_KEY_PREFIX = 'demo-history-';
/** The first 8 hex digits of every generated dispatcher's id (no real ObjectId starts so: it is 2094 in seconds). */
export const HISTORY_STAFF_PREFIX = 'dede0000';

/** Relative accident intensity per Beijing clock hour (0–23). */
export const HOURLY_PROFILE = [0.15, 0.1, 0.08, 0.07, 0.08, 0.15, 0.4, 0.9, 1.4, 1.1, 0.9, 0.95, 0.85, 0.8, 0.85, 0.95, 1.1, 1.45, 1.3, 0.9, 0.6, 0.5, 0.35, 0.25];
/** ISO weekday (1 = Monday) → factor. */
export const WEEKDAY_EFFECT = [0, 1.05, 1.0, 1.0, 1.02, 1.12, 0.9, 0.8];
/** Mean reports a day per brigade on an average weekday (the city ~125 a day, ~45 000 a year). */
export const BRIGADE_DAILY = { 'JM-PJ': 30, 'JM-JH': 15, 'JM-XH': 24, 'JM-TS': 16, 'JM-KP': 15, 'JM-HS': 13, 'JM-EP': 12 } as const satisfies Record<(typeof DEFAULT_BRIGADES)[number]['code'], number>;
/** Share of out-of-hours accidents still sent (the rest stop at the pre-check). */
export const OUT_OF_HOURS_SENT = 0.08;

export const DISPATCHER_REASONS = ['当事人对事实有争议', '有人员受伤', '车辆无法移动', '涉嫌酒驾、无证驾驶', '视频无法看清现场'] as const;
export const REASON_WEIGHTS = [0.38, 0.17, 0.15, 0.1, 0.2];
export const WEATHER = ['晴', '阴', '多云', '小雨', '中雨', '大雨'];
export const ACCIDENT_TYPES = ['追尾', '刮擦', '侧面碰撞', '倒车碰撞', '开门碰撞'];
export const SURNAMES = '李王张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁';
export const GIVEN = ['建华', '晓敏', '丽娟', '伟强', '志明', '秀英', '海燕', '国庆', '嘉欣', '子豪', '敏仪', '文杰', '婉婷', '家俊', '永康'];
export const INSURERS = (JSON.parse(readFileSync(join(REPO_ROOT, 'server/data/insurers.json'), 'utf8')) as { insurers: { code: string; name: string }[] }).insurers;
export const GAZETTEER = (JSON.parse(readFileSync(join(REPO_ROOT, 'server/fakes/data/jiangmen-gazetteer.json'), 'utf8')) as {
  districts: { adcode: string; name: string; roads: { name: string; line: [number, number][] }[] }[];
}).districts;

export interface HistoryOptions {
  /** Months back from `until` (whole days: `until` minus N months, plus one day). */
  months: number;
  seed: number;
  /** The last Beijing day generated (inclusive). */
  until: string;
  /** Nothing happens after this instant (default: now). Reports are cut off 2 h before it, so no call is still open. */
  now?: Date;
  /** Scales every brigade's rate (tests use small sets). */
  volume?: number;
  /** Only these brigades (default: all). */
  brigades?: readonly string[];
}

export type Doc = Record<string, any>;

export interface GeneratedHistory {
  from: string;
  until: string;
  cases: Doc[];
  events: Doc[];
  handoffs: Doc[];
  dutyHours: Doc[];
  /** Every dispatcher id the duty log and answeredBy use (a second run deletes their hours). */
  staffIds: Types.ObjectId[];
}

/** One seeded stream for every draw: the uniform generator under the log-normal one. */
export function randomSource(seed: number) {
  const ln = lognormal.factory({ seed: seed >>> 0 || 1 });
  const u = ln.PRNG as () => number;
  const exp = exponential.factory({ prng: u });
  return {
    u,
    /** Log-normal with this median and shape. */
    lognormal: (median: number, sigma: number) => ln(Math.log(median), sigma),
    exponential: (mean: number) => exp(1 / mean),
    pick: <T>(items: readonly T[], weights?: readonly number[]): T => {
      if (!weights) return items[Math.floor(u() * items.length)]!;
      let r = u() * weights.reduce((a, b) => a + b, 0);
      for (let i = 0; i < items.length; i++) if ((r -= weights[i]!) < 0) return items[i]!;
      return items[items.length - 1]!;
    },
    chance: (p: number) => u() < p,
    /** An ObjectId as the driver makes them (its first 4 bytes the time), the rest from the seeded stream. */
    objectId: (at: Date) => {
      const hex = (n: number, digits: number) => Math.floor(n).toString(16).padStart(digits, '0').slice(-digits);
      return new Types.ObjectId(hex(at.getTime() / 1000, 8) + hex(u() * 2 ** 32, 8) + hex(u() * 2 ** 32, 8));
    },
  };
}
export type Random = ReturnType<typeof randomSource>;

export const HOUR_MS = 3600_000;
const openMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const OPENS = openMinutes(DEFAULT_CALENDAR.opensAt);
const CLOSES = openMinutes(DEFAULT_CALENDAR.closesAt);
/** Beijing is UTC+8 all year (no daylight saving since 1991): its minute of the day by arithmetic, as luxon's zone look-up per case was most of the run time. */
export const beijingMinute = (at: Date) => Math.floor((at.getTime() / 60_000 + 8 * 60) % 1440);
export const beijingYear = (at: Date) => new Date(at.getTime() + 8 * HOUR_MS).getUTCFullYear();
/** Officers decide in office hours (08:30–17:30 Beijing): later, the next morning's first hour. */
export function officeHours(random: Random, at: Date): Date {
  const minute = beijingMinute(at);
  if (minute >= 8 * 60 + 30 && minute < 17 * 60 + 30) return at;
  const nextMorning = at.getTime() + (((8 * 60 + 30 - minute + 1440) % 1440) * 60_000);
  return sec(new Date(nextMorning), random.lognormal(40 * 60, 0.5));
}

/** The app's 复核 deadline (weekends off), looked up once per delivery day. */
const deadlines = new Map<number, Date>();
export function deadlineOf(deliveredAt: Date): Date {
  const day = Math.floor((deliveredAt.getTime() + 8 * HOUR_MS) / (24 * HOUR_MS));
  if (!deadlines.has(day)) deadlines.set(day, reviewDeadline(deliveredAt, { holidays: [] }));
  return deadlines.get(day)!;
}
export const inServiceHours = (at: Date) => beijingMinute(at) >= OPENS && beijingMinute(at) < CLOSES;
/** Hours a brigade's desk is staffed (any minute of the hour inside the service hours). */
export const staffedHour = (hour: number) => hour * 60 + 60 > OPENS && hour * 60 < CLOSES;

export const sec = (at: Date, seconds: number) => new Date(at.getTime() + Math.round(seconds * 1000));

/**
 * Dispatchers per brigade and staffed hour: one for every 1.2 expected reports an hour, at least one.
 * A brigade's desk sees a few calls an hour, far below what Erlang C would need a second person for;
 * rosters follow the day's shape anyway (cover at the rush hours), so the big brigades put on two or
 * three at the peaks and the small ones keep one.
 */
export function rosterFor(ratePerHour: number): number {
  return Math.max(1, Math.ceil(ratePerHour / 1.2));
}

export interface CaseInput {
  random: Random;
  n: number;
  seed: number;
  reportedAt: Date;
  inHours: boolean;
  brigade: (typeof DEFAULT_BRIGADES)[number];
  district: (typeof GAZETTEER)[number];
  desk: { id: Types.ObjectId; name: string }[];
  /** The hour's profile value: busier hours wait longer. */
  busy: number;
  now: Date;
  joinCode: () => string;
}
