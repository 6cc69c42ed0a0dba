/**
 * A realistic past for the demo city, generated (`npm run demo:history`): the cases of Jiangmen's
 * brigades over N months, with their event logs, insurer hand-offs and the staff duty log, as plain
 * documents in exactly the shape the app writes (case.model.ts, case-event.model.ts, handoff.model.ts,
 * staff/duty-log.ts). Pure and seeded: the same options give the same history, so tests can compute
 * their own figures from it. history-load.ts writes it.
 *
 * The model:
 * - Accidents arrive as a Poisson process per brigade whose rate follows a daily profile (quiet at
 *   night, peaks at the morning and evening rush) and a weekday effect (busier Friday, quieter Sunday).
 *   Reports outside the service hours are mostly stopped by the mini-program's pre-check; the few sent
 *   anyway are refused (OUTSIDE_HOURS), as the server would.
 * - Some reports fail the §13 questions or fall on an excluded road and are refused at once.
 * - The rest wait for a dispatcher: the wait is log-normal, longer at busy hours; a caller whose
 *   (exponential) patience runs out first cancels. A few are never answered or go silent (abandoned).
 * - On the call: some are redirected (the dispatcher's reasons), the rest released after a log-normal
 *   handling time (answer → release, median ~4 min: about 70 % inside the 5-minute target).
 * - After release: decided within hours, the 认定书 delivered, closed when the 复核 window passes;
 *   a few apply for 复核 (not accepted, upheld, or decided again). Some parties hand the 认定书 to
 *   their insurer. Nothing is generated past `now`: recent cases stop where they would be today.
 * - Dispatchers on duty per brigade and hour follow the same profile (the offered load plus a margin).
 */
import exponential from '@stdlib/random-base-exponential';
import lognormal from '@stdlib/random-base-lognormal';
import { DateTime } from 'luxon';
import { Types } from 'mongoose';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_BRIGADES } from '../../server/src/brigades/default-brigades';
import { caseIdFor } from '../../server/src/cases/case-report.service';
import { caseEventId } from '../../server/src/cases/case-event.model';
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH } from '../../server/src/cases/join-code';
import { CASE_RULES } from '../../server/src/eligibility/case-rules';
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
const OUT_OF_HOURS_SENT = 0.08;

export const DISPATCHER_REASONS = ['当事人对事实有争议', '有人员受伤', '车辆无法移动', '涉嫌酒驾、无证驾驶', '视频无法看清现场'] as const;
const REASON_WEIGHTS = [0.38, 0.17, 0.15, 0.1, 0.2];
const WEATHER = ['晴', '阴', '多云', '小雨', '中雨', '大雨'];
const ACCIDENT_TYPES = ['追尾', '刮擦', '侧面碰撞', '倒车碰撞', '开门碰撞'];
const SURNAMES = '李王张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁';
const GIVEN = ['建华', '晓敏', '丽娟', '伟强', '志明', '秀英', '海燕', '国庆', '嘉欣', '子豪', '敏仪', '文杰', '婉婷', '家俊', '永康'];
const INSURERS = (JSON.parse(readFileSync(join(REPO_ROOT, 'server/data/insurers.json'), 'utf8')) as { insurers: { code: string; name: string }[] }).insurers;
const GAZETTEER = (JSON.parse(readFileSync(join(REPO_ROOT, 'server/fakes/data/jiangmen-gazetteer.json'), 'utf8')) as {
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

type Doc = Record<string, any>;

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
function randomSource(seed: number) {
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
type Random = ReturnType<typeof randomSource>;

const HOUR_MS = 3600_000;
const openMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const OPENS = openMinutes(DEFAULT_CALENDAR.opensAt);
const CLOSES = openMinutes(DEFAULT_CALENDAR.closesAt);
/** Beijing is UTC+8 all year (no daylight saving since 1991): its minute of the day by arithmetic, as luxon's zone look-up per case was most of the run time. */
const beijingMinute = (at: Date) => Math.floor((at.getTime() / 60_000 + 8 * 60) % 1440);
const beijingYear = (at: Date) => new Date(at.getTime() + 8 * HOUR_MS).getUTCFullYear();
/** Officers decide in office hours (08:30–17:30 Beijing): later, the next morning's first hour. */
function officeHours(random: Random, at: Date): Date {
  const minute = beijingMinute(at);
  if (minute >= 8 * 60 + 30 && minute < 17 * 60 + 30) return at;
  const nextMorning = at.getTime() + (((8 * 60 + 30 - minute + 1440) % 1440) * 60_000);
  return sec(new Date(nextMorning), random.lognormal(40 * 60, 0.5));
}

/** The app's 复核 deadline (weekends off), looked up once per delivery day. */
const deadlines = new Map<number, Date>();
function deadlineOf(deliveredAt: Date): Date {
  const day = Math.floor((deliveredAt.getTime() + 8 * HOUR_MS) / (24 * HOUR_MS));
  if (!deadlines.has(day)) deadlines.set(day, reviewDeadline(deliveredAt, { holidays: [] }));
  return deadlines.get(day)!;
}
const inServiceHours = (at: Date) => beijingMinute(at) >= OPENS && beijingMinute(at) < CLOSES;
/** Hours a brigade's desk is staffed (any minute of the hour inside the service hours). */
const staffedHour = (hour: number) => hour * 60 + 60 > OPENS && hour * 60 < CLOSES;

const sec = (at: Date, seconds: number) => new Date(at.getTime() + Math.round(seconds * 1000));

/**
 * Dispatchers per brigade and staffed hour: one for every 1.2 expected reports an hour, at least one.
 * A brigade's desk sees a few calls an hour, far below what Erlang C would need a second person for;
 * rosters follow the day's shape anyway (cover at the rush hours), so the big brigades put on two or
 * three at the peaks and the small ones keep one.
 */
export function rosterFor(ratePerHour: number): number {
  return Math.max(1, Math.ceil(ratePerHour / 1.2));
}

export function generateHistory(options: HistoryOptions): GeneratedHistory {
  const random = randomSource(options.seed);
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - 2 * HOUR_MS);
  const last = DateTime.fromISO(options.until, { zone: ZONE }).startOf('day');
  if (!last.isValid) throw new Error(`--until must be a date (YYYY-MM-DD), not "${options.until}"`);
  const first = last.minus({ months: options.months }).plus({ days: 1 });
  const brigades = DEFAULT_BRIGADES.filter((b) => !options.brigades || options.brigades.includes(b.code));
  const volume = options.volume ?? 1;

  const out: GeneratedHistory = { from: first.toISODate()!, until: last.toISODate()!, cases: [], events: [], handoffs: [], dutyHours: [], staffIds: [] };
  const joinCodes = new Set<string>();
  const joinCode = () => {
    for (;;) {
      let code = '';
      for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[Math.floor(random.u() * JOIN_CODE_ALPHABET.length)];
      if (!joinCodes.has(code)) return joinCodes.add(code), code;
    }
  };
  // A pool of dispatchers per brigade: the first n of a day's rotation are on duty in an hour.
  const pools = new Map(
    brigades.map((b, bi) => [
      b.code,
      Array.from({ length: 12 }, (_, i) => {
        // Fixed ids (whatever the seed) under a marker prefix: a later run finds and replaces their hours.
        const id = new Types.ObjectId(`${HISTORY_STAFF_PREFIX}${String(bi).padStart(4, '0')}${String(i).padStart(12, '0')}`);
        out.staffIds.push(id);
        return { id, name: `${shortName(b.name)}接警员${String(i + 1).padStart(2, '0')}` };
      }),
    ]),
  );

  let n = 0;
  for (let day = first; day <= last; day = day.plus({ days: 1 })) {
    for (const brigade of brigades) {
      const district = GAZETTEER.find((d) => d.adcode === brigade.districtAdcodes[0])!;
      const daily = BRIGADE_DAILY[brigade.code] * WEEKDAY_EFFECT[day.weekday]! * volume;
      const profileSum = HOURLY_PROFILE.reduce((a, b) => a + b, 0);
      const pool = pools.get(brigade.code)!;
      const rotation = day.ordinal % pool.length;
      for (let hour = 0; hour < 24; hour++) {
        // Whole hours from the day's start (no daylight saving in Beijing).
        const hourStart = new Date(day.toMillis() + hour * HOUR_MS);
        // The rate of accidents in this hour; out of hours only a few of them reach the server.
        const rate = (daily * HOURLY_PROFILE[hour]!) / profileSum;
        const onDuty = staffedHour(hour) ? Math.max(1, rosterFor(rate) + (random.chance(0.1) ? (random.chance(0.5) ? 1 : -1) : 0)) : 0;
        const desk = Array.from({ length: onDuty }, (_, i) => pool[(rotation + i) % pool.length]!);
        if (hourStart < now) {
          for (const who of desk) out.dutyHours.push({ _id: random.objectId(hourStart), staffId: who.id, brigadeCode: brigade.code, role: 'dispatcher', hourStart });
        }
        // A Poisson process in this hour: exponential gaps at the hour's rate.
        for (let t = random.exponential(3600 / Math.max(rate, 1e-9)); t < 3600; t += random.exponential(3600 / Math.max(rate, 1e-9))) {
          const reportedAt = sec(hourStart, t);
          const inHours = inServiceHours(reportedAt);
          if (!inHours && !random.chance(OUT_OF_HOURS_SENT)) continue;
          if (reportedAt >= cutoff) continue;
          const made = makeCase({ random, n: n++, seed: options.seed, reportedAt, inHours, brigade, district, desk: desk.length ? desk : [pool[rotation]!], busy: HOURLY_PROFILE[hour]!, now, joinCode });
          out.cases.push(made.doc);
          out.events.push(...made.events);
          out.handoffs.push(...made.handoffs);
        }
      }
    }
  }
  return out;
}

interface CaseInput {
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

/** A point along one of the district's main roads (accidents happen on roads), jittered a few metres. */
function placeIn(random: Random, district: CaseInput['district']) {
  const road = random.pick(district.roads);
  const i = Math.floor(random.u() * (road.line.length - 1));
  const [a, b] = [road.line[i]!, road.line[i + 1] ?? road.line[i]!];
  const f = random.u();
  const jitter = () => (random.u() - 0.5) * 0.0008;
  return { lat: a[1] + (b[1] - a[1]) * f + jitter(), lng: a[0] + (b[0] - a[0]) * f + jitter(), address: `${district.name}${road.name}` };
}

/** 蓬江 of 江门市公安局交通警察支队蓬江大队, 台山 of 台山市公安局交通警察大队. */
const shortName = (brigadeName: string) => (brigadeName.includes('支队') ? brigadeName.slice(-4, -2) : brigadeName.slice(0, 2));
/** A party as the case stores it (the insurer's code is the generator's own note). */
const stored = ({ insurerCode: _, ...party }: { insurerCode: string } & Doc) => party;
const plate = (random: Random) => `粤J${Array.from({ length: 5 }, () => random.pick('ABCDEFGHJKLMNPQRSTUVWXYZ0123456789'.split(''))).join('')}`;
const personName = (random: Random) => random.pick(SURNAMES.split('')) + random.pick(GIVEN);

/**
 * One case: its steps are planned as the app's events would be (each `set` exactly what that door
 * writes), stopped at the first step after `now`; the document is the initial draft with every
 * applied event's changes on top — so the event log replays to the document.
 */
function makeCase(input: CaseInput): { doc: Doc; events: Doc[]; handoffs: Doc[] } {
  const { random, reportedAt, brigade, district, now } = input;
  const key = `${HISTORY_KEY_PREFIX}${input.seed}-${input.n}`;
  const initiatorId = random.objectId(reportedAt);
  const _id = caseIdFor(String(initiatorId), key);
  const place = placeIn(random, district);
  const vehicleCount = random.chance(0.12) ? 3 : 2;
  const parties = Array.from({ length: vehicleCount }, (_, i) => {
    const insurer = random.pick(INSURERS);
    return {
      driverId: i === 0 ? initiatorId : random.objectId(reportedAt),
      label: 'ABC'[i]!,
      plate: plate(random),
      joinedAt: sec(reportedAt, i === 0 ? 0 : 15 + random.u() * 40),
      factsConfirmedAt: sec(reportedAt, i === 0 ? 0 : 20 + random.u() * 40),
      via: i === 0 ? 'report' : 'code',
      info: { driverName: personName(random), licenceNo: null, licenceNoSealed: null, plateType: '02', vehicleType: 'K33', insurer: insurer.name, policyNo: null, phone: null, confirmedAt: null },
      recordingConsentAt: null,
      insurerCode: insurer.code,
    };
  });
  const answers = { vehicleCount, motorVehiclesOnly: true, anyoneInjured: false, vehiclesDrivable: true, factsDisputed: false, unlicensedDriving: false, drinkOrDrugs: false, anyoneLeftScene: false };

  // Why a report is refused at once, if it is.
  const failed: Doc[] = [];
  if (!input.inHours) {
    failed.push({ rule: 'hours', ok: false, code: 'OUTSIDE_HOURS', reason: `视频快处服务时间为每日 ${DEFAULT_CALENDAR.opensAt}–${DEFAULT_CALENDAR.closesAt}`, alternatives: ['call_122', 'photo_quick_handling', 'self_settlement'], nextOpenAt: null });
  } else if (random.chance(0.05)) {
    const rule = random.pick(CASE_RULES.filter((r) => ['INJURY', 'NOT_DRIVABLE', 'FACTS_DISPUTED', 'TOO_MANY_VEHICLES', 'NOT_MOTOR_VEHICLES'].includes(r.code)), [0.3, 0.2, 0.2, 0.15, 0.15]);
    failed.push({ rule: 'case', ok: false, code: rule.code, reason: rule.reason, alternatives: [...rule.alternatives], nextOpenAt: null });
    if (rule.code === 'INJURY') answers.anyoneInjured = true;
    if (rule.code === 'NOT_DRIVABLE') answers.vehiclesDrivable = false;
    if (rule.code === 'FACTS_DISPUTED') answers.factsDisputed = true;
    if (rule.code === 'TOO_MANY_VEHICLES') answers.vehicleCount = 4;
    if (rule.code === 'NOT_MOTOR_VEHICLES') answers.motorVehiclesOnly = false;
  } else if (random.chance(0.01)) {
    failed.push({ rule: 'roads', ok: false, code: 'EXCLUDED_ROAD_NAME', reason: '事故地点在快速路上，不适用视频快处，请拨打 122', alternatives: ['call_122', 'officer_on_scene'], nextOpenAt: null });
  }

  const doc: Doc = {
    _id,
    state: 'draft',
    rev: 0,
    stateChangedAt: reportedAt,
    reportedAt,
    initiatorId,
    idempotencyKey: key,
    brigadeCode: brigade.code,
    districtAdcode: district.adcode,
    districtName: district.name,
    address: place.address,
    nearBorder: false,
    location: { lat: place.lat, lng: place.lng, accuracyM: Math.round(5 + random.u() * 25), reportedAs: 'gcj02', confirmedOnMap: false },
    answers,
    vehicleCount,
    parties: [stored(parties[0]!)],
    joinCode: input.joinCode(),
    joinCodeExpiresAt: sec(reportedAt, 1800),
    failed,
    queuedAt: null,
    requeued: false,
    answeredAt: null,
    answeredBy: { id: null, name: null },
    releasedAt: null,
    abandonedAt: null,
    handlingSeconds: null,
    facts: { occurredAt: null, place: null, directions: {}, impactPoints: {}, summary: null },
    shotRequests: [],
    scenarioTags: [],
    decision: null,
    deliveredAt: null,
    deliveries: [],
    reviewDeadline: null,
    review: null,
    supersedesCertificate: null,
    evidence: [],
    checks: [],
    redirect: { reason: null, alternatives: [] },
    recording: { state: 'off', resourceId: null, sid: null, files: [] },
    createdAt: reportedAt,
    updatedAt: reportedAt,
  };
  const events: Doc[] = [];
  const handoffs: Doc[] = [];
  let stopped = false;
  /** Applies one event (unless it lies after `now`, which stops the case where it is). */
  const step = (at: Date, event: string, to: string, actor: { kind: string; id: string | null }, changes: { set?: Doc; push?: Doc; reason?: string | null } = {}) => {
    if (stopped || at > now) return (stopped = true), false;
    const rev = doc.rev + 1;
    events.push({ _id: caseEventId(_id, rev), caseId: _id, rev, at, event, from: doc.state, to, actor, reason: changes.reason ?? null, set: changes.set ?? {}, setPaths: [], push: changes.push ?? {} });
    Object.assign(doc, changes.set ?? {});
    for (const [field, items] of Object.entries(changes.push ?? {})) doc[field] = [...doc[field], ...(items as unknown[])];
    if (to !== doc.state) doc.stateChangedAt = at;
    doc.state = to;
    doc.rev = rev;
    doc.updatedAt = at;
    return true;
  };
  const system = { kind: 'system', id: null };
  const driver = { kind: 'driver', id: String(initiatorId) };

  if (failed.length > 0) {
    step(reportedAt, 'refuse', 'redirected', system, { reason: failed.map((f) => f.code).join(',') });
    return { doc, events, handoffs };
  }
  // The queue: a log-normal wait, longer at busy hours, against the caller's patience.
  const wait = Math.max(3, random.lognormal(30 * (0.6 + 0.45 * input.busy), 0.75));
  step(reportedAt, 'submit', 'queued', driver, { set: { queuedAt: reportedAt } });
  // The other drivers join with the code while it waits.
  for (const party of parties.slice(1)) {
    party.joinedAt = party.factsConfirmedAt = sec(reportedAt, (0.3 + 0.6 * random.u()) * Math.min(60, wait));
    step(party.joinedAt, 'join', 'queued', { kind: 'driver', id: String(party.driverId) }, { push: { parties: [stored(party)] } });
  }
  const patience = 20 + random.exponential(500);
  if (random.chance(0.004)) {
    step(sec(reportedAt, 1800), 'time_out', 'abandoned', system, { reason: '排队超时，无人接听', set: { abandonedAt: sec(reportedAt, 1800) } });
    return { doc, events, handoffs };
  }
  if (patience < wait) {
    step(sec(reportedAt, patience), 'cancel', 'cancelled', driver, { reason: '等待时间过长' });
    return { doc, events, handoffs };
  }
  const dispatcher = random.pick(input.desk);
  const desk = { kind: 'dispatcher', id: String(dispatcher.id) };
  const answeredAt = sec(reportedAt, wait);
  step(answeredAt, 'answer', 'in_call', desk, { set: { answeredAt, answeredBy: { id: String(dispatcher.id), name: dispatcher.name } } });
  step(sec(answeredAt, 20 + random.u() * 40), 'start_collecting', 'collecting', desk);
  if (random.chance(0.004)) {
    const at = sec(answeredAt, 240 + random.u() * 300);
    step(at, 'time_out', 'abandoned', system, { reason: '通话无响应', set: { abandonedAt: at } });
    return { doc, events, handoffs };
  }
  if (random.chance(0.08)) {
    const reason = random.pick(DISPATCHER_REASONS, REASON_WEIGHTS);
    const alternatives = reason === '有人员受伤' || reason === '涉嫌酒驾、无证驾驶' ? ['call_122', 'officer_on_scene'] : ['call_122', 'photo_quick_handling'];
    step(sec(answeredAt, random.lognormal(150, 0.5)), 'redirect', 'redirected', desk, { reason, set: { redirect: { reason, alternatives } } });
    return { doc, events, handoffs };
  }
  const handlingSeconds = Math.max(40, Math.round(random.lognormal(225, 0.42)));
  const releasedAt = sec(answeredAt, handlingSeconds);
  const facts = { occurredAt: sec(reportedAt, -(60 + random.u() * 600)), place: place.address, directions: {}, impactPoints: {}, summary: `${random.pick(ACCIDENT_TYPES)}，双方车辆轻微受损` };
  if (!step(releasedAt, 'release', 'released', desk, { set: { releasedAt, handlingSeconds, facts } })) return { doc, events, handoffs };

  // After the call: decide, deliver, and the 复核 window.
  const decideAndDeliver = (after: Date, round: number): Date | null => {
    const officer = { id: String(random.objectId(after)), name: `${shortName(brigade.name)}民警` };
    const decidedAt = officeHours(random, sec(after, random.lognormal(1.5 * 3600, 0.8)));
    const liabilities = vehicleCount === 2 ? random.pick([['full', 'none'], ['main', 'minor'], ['equal', 'equal']], [0.7, 0.15, 0.15]) : ['full', 'none', 'none'];
    const decisionParties = doc.parties.map((p: Doc, i: number) => ({ label: p.label, liability: liabilities[i], basis: '', damages: null }));
    const decision = {
      proposal: { rule: 'undecided', parties: null, explanation: '' },
      decisionId: `history-${input.seed}-${input.n}-${round}`,
      scenarioLibraryRev: 1,
      parties: decisionParties,
      reason: '依据视频及现场照片认定',
      differsFromProposal: true,
      weather: random.pick(WEATHER, [0.5, 0.2, 0.15, 0.08, 0.05, 0.02]),
      accidentType: facts.summary!.slice(0, facts.summary!.indexOf('，')),
      facts: facts.summary,
      officer,
      decidedAt,
      certificateNumber: null,
      certificateIssuedAt: null,
    };
    if (!step(decidedAt, 'determine', 'determined', { kind: 'officer', id: officer.id }, { set: { decision } })) return null;
    // Numbered from 900000 in their year: a history number never meets one the live desk claims.
    const number = `${brigade.code}-${beijingYear(decidedAt)}-${String(900_000 + (input.n % 99_999)).padStart(6, '0')}${round ? `R${round}` : ''}`;
    const issuedAt = sec(decidedAt, 5);
    if (!step(issuedAt, 'certificate_issued', 'determined', system, { reason: `认定书 ${number}`, set: { decision: { ...decision, certificateNumber: number, certificateIssuedAt: issuedAt } } })) return null;
    const deliveredAt = sec(issuedAt, 10);
    const deadline = deadlineOf(deliveredAt);
    const delivered = step(deliveredAt, 'deliver', 'delivered', system, { set: { deliveredAt, reviewDeadline: deadline, deliveries: doc.parties.map((p: Doc) => ({ party: p.label, deliveredAt })) } });
    if (!delivered) return null;
    // Some parties send it to their insurer.
    for (const party of parties) {
      // One hand-off per party and case (its unique key): a second certificate after 重新认定 is not sent again.
      if (handoffs.some((h) => h.party === party.label) || !random.chance(0.22)) continue;
      const consentAt = sec(deliveredAt, random.lognormal(3600, 1));
      if (consentAt > now) continue;
      const ok = random.chance(0.95);
      handoffs.push({
        _id: random.objectId(deliveredAt),
        caseId: _id,
        party: party.label,
        driverId: party.driverId,
        insurerCode: party.insurerCode,
        insurerName: INSURERS.find((i) => i.code === party.insurerCode)!.name,
        status: ok ? 'accepted' : 'failed',
        idempotencyKey: `${key}-${party.label}`,
        certificateNumber: number,
        request: { generated: true },
        consentAt,
        claimNo: ok ? `CLM${input.seed}${input.n}${party.label}` : null,
        sentAt: ok ? sec(consentAt, 2) : null,
        error: ok ? null : '保险公司系统暂时不可用，请稍后重试',
        attempts: 1,
        createdAt: consentAt,
        updatedAt: sec(consentAt, 2),
      });
    }
    return deadline;
  };

  const deadline = decideAndDeliver(releasedAt, 0);
  if (!deadline) return { doc, events, handoffs };
  if (round1Review(random)) {
    const deliveredAt = doc.deliveredAt as Date;
    const appliedAt = new Date(deliveredAt.getTime() + random.u() * (deadline.getTime() - deliveredAt.getTime()));
    const application = { party: 'B', driverId: doc.parties[1].driverId, request: '请求重新认定', reasons: '对责任划分有异议', evidenceIds: [], appliedAt };
    const received = { status: 'received', applications: [application], receivedAt: appliedAt, acceptBy: sec(appliedAt, 5 * 86400), acceptedAt: null, notAcceptedReason: null, concludeBy: null, concludedAt: null, conclusionReason: null, reviewer: { id: null, name: null }, certificateNumber: doc.decision.certificateNumber };
    if (!step(appliedAt, 'request_review', 'review_requested', { kind: 'driver', id: String(application.driverId) }, { set: { review: received } })) return { doc, events, handoffs };
    const reviewer = { id: String(random.objectId(appliedAt)), name: '支队复核民警' };
    const decidedAt = sec(appliedAt, random.lognormal(86400, 0.5));
    if (random.chance(0.15)) {
      const review = { ...received, status: 'not_accepted', notAcceptedReason: '当事人已向人民法院提起诉讼', concludedAt: decidedAt, reviewer };
      step(decidedAt, 'decline_review', 'closed', { kind: 'reviewer', id: reviewer.id }, { reason: review.notAcceptedReason, set: { review } });
      return { doc, events, handoffs };
    }
    const accepted = { ...received, status: 'accepted', acceptedAt: decidedAt, concludeBy: sec(decidedAt, 30 * 86400), reviewer };
    if (!step(decidedAt, 'review_accepted', 'review_requested', { kind: 'reviewer', id: reviewer.id }, { reason: '复核申请已受理', set: { review: accepted } })) return { doc, events, handoffs };
    const concludedAt = sec(decidedAt, random.lognormal(5 * 86400, 0.5));
    const upheld = random.chance(0.8);
    const review = { ...accepted, status: upheld ? 'upheld' : 'redone', concludedAt, conclusionReason: upheld ? '原认定事实清楚，责任划分得当' : '原认定责任划分不当' };
    if (!step(concludedAt, 'review', 'reviewed', { kind: 'reviewer', id: reviewer.id }, { reason: review.conclusionReason, set: { review } })) return { doc, events, handoffs };
    if (upheld) {
      step(sec(concludedAt, 1), 'close', 'closed', system, { reason: '复核维持原认定' });
      return { doc, events, handoffs };
    }
    const superseded = doc.decision.certificateNumber;
    if (!step(sec(concludedAt, 1), 'send_back', 'released', system, { reason: '复核决定重新认定', set: { decision: null, supersedesCertificate: superseded, deliveredAt: null, reviewDeadline: null, deliveries: [] } })) return { doc, events, handoffs };
    const again = decideAndDeliver(sec(concludedAt, 1), 1);
    if (again) step(again, 'close', 'closed', system, { reason: '复核期限届满，未申请复核' });
    return { doc, events, handoffs };
  }
  step(deadline, 'close', 'closed', system, { reason: '复核期限届满，未申请复核' });
  return { doc, events, handoffs };
}

/** About 3 % of delivered certificates draw a 复核 application. */
const round1Review = (random: Random) => random.chance(0.03);
