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
import { DateTime } from 'luxon';
import { Types } from 'mongoose';
import { DEFAULT_BRIGADES } from '../../server/src/brigades/default-brigades';
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH } from '../../server/src/cases/join-code';
import { makeCase } from './history-case';
import { shortName } from './history-draft';
import {
  BRIGADE_DAILY,
  GAZETTEER,
  HISTORY_STAFF_PREFIX,
  HOUR_MS,
  HOURLY_PROFILE,
  inServiceHours,
  OUT_OF_HOURS_SENT,
  randomSource,
  rosterFor,
  sec,
  staffedHour,
  WEEKDAY_EFFECT,
  ZONE,
  type GeneratedHistory,
  type HistoryOptions,
} from './history-params';

// What importers use, from where it has always been.
export { BRIGADE_DAILY, DISPATCHER_REASONS, HISTORY_KEY_PREFIX, HISTORY_STAFF_PREFIX, HOURLY_PROFILE, rosterFor, WEEKDAY_EFFECT, ZONE } from './history-params';
export type { GeneratedHistory, HistoryOptions } from './history-params';

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
