import { DateTime } from 'luxon';
import type { GeneratedHistory } from '../../../scripts/demo/history-model';

/**
 * The statistics figures computed the slow, obvious way straight from generated documents (cases,
 * hand-offs, duty hours), with none of the server's code: what the endpoint must answer.
 */
type Doc = Record<string, any>;
const ZONE = 'Asia/Shanghai';
const seen = new Map<number, DateTime>();
/** Beijing's wall clock of an instant (remembered: the loops below ask for the same ones many times). */
const beijing = (at: Date) => {
  let local = seen.get(at.getTime());
  if (!local) seen.set(at.getTime(), (local = DateTime.fromJSDate(at, { zone: ZONE })));
  return local;
};

export interface Filter {
  from: string;
  to: string;
  brigade?: string;
  day?: string;
}

const RELEASED = ['released', 'determined', 'delivered', 'review_requested', 'reviewed', 'closed'];

function nearestRank(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1]!;
}

function summary(values: number[]) {
  return {
    count: values.length,
    p50Seconds: nearestRank(values, 50),
    p90Seconds: nearestRank(values, 90),
    meanSeconds: values.length ? Math.round(values.reduce((a, b) => a + b, 0) / values.length) : null,
  };
}

const waitOf = (c: Doc) => Math.round((c.answeredAt.getTime() - c.reportedAt.getTime()) / 1000);

function level(cases: Doc[]) {
  const answered = cases.filter((c) => c.answeredAt);
  const ended = answered.filter((c) => c.state !== 'in_call' && c.state !== 'collecting');
  const within = ended.filter((c) => RELEASED.includes(c.state) && c.handlingSeconds <= 300);
  const quick = answered.filter((c) => waitOf(c) <= 60);
  return {
    targetSeconds: 300,
    eligible: ended.length,
    releasedWithin: within.length,
    share: ended.length ? within.length / ended.length : null,
    answerTargetSeconds: 60,
    answered: answered.length,
    answeredWithin: quick.length,
    answeredShare: answered.length ? quick.length / answered.length : null,
  };
}

function histogram(values: number[], bins: number) {
  const out = [];
  for (let i = 0; i <= bins; i++) {
    const from = i * 30;
    const to = i < bins ? from + 30 : null;
    out.push({ fromSeconds: from, toSeconds: to, count: values.filter((v) => v >= from && (to === null || v < to)).length });
  }
  return { binSeconds: 30, bins: out };
}

export function expectedFigures(history: Pick<GeneratedHistory, 'cases' | 'handoffs' | 'dutyHours'>, filter: Filter, brigades: { code: string; name: string }[]) {
  const days: string[] = [];
  for (let d = DateTime.fromISO(filter.from, { zone: ZONE }); d.toISODate()! <= filter.to; d = d.plus({ days: 1 })) days.push(d.toISODate()!);
  const cases = history.cases.filter((c) => {
    const day = beijing(c.reportedAt).toISODate()!;
    return day >= filter.from && day <= filter.to && (!filter.brigade || c.brigadeCode === filter.brigade);
  });
  const dayOf = (c: Doc) => beijing(c.reportedAt).toISODate()!;
  const outcomeOf = (c: Doc) =>
    RELEASED.includes(c.state) ? 'released' : c.state === 'redirected' ? (c.failed.length ? 'refused' : 'redirected') : ['cancelled', 'abandoned'].includes(c.state) ? c.state : 'open';
  const count = (o: string) => cases.filter((c) => outcomeOf(c) === o).length;
  const released = (list: Doc[]) => list.filter((c) => outcomeOf(c) === 'released');
  const waits = (list: Doc[]) => list.filter((c) => c.answeredAt).map(waitOf);
  const handlings = (list: Doc[]) => released(list).filter((c) => c.handlingSeconds !== null).map((c) => c.handlingSeconds as number);

  const reasons = new Map<string, number>();
  for (const c of cases) {
    const o = outcomeOf(c);
    if (o === 'refused') reasons.set(`refused|${c.failed[0].code}`, (reasons.get(`refused|${c.failed[0].code}`) ?? 0) + 1);
    if (o === 'redirected') reasons.set(`dispatcher|${c.redirect.reason}`, (reasons.get(`dispatcher|${c.redirect.reason}`) ?? 0) + 1);
  }

  const weeks: string[] = [];
  for (const d of days) {
    const w = DateTime.fromISO(d, { zone: ZONE }).toFormat("kkkk-'W'WW");
    if (!weeks.includes(w)) weeks.push(w);
  }

  const ids = new Set(cases.map((c) => String(c._id)));
  const handoffs = history.handoffs.filter((h) => ids.has(String(h.caseId)));
  const insurers = [...new Set(handoffs.map((h) => h.insurerCode as string))];

  const districts = [...new Set(cases.map((c) => c.districtAdcode as string))];
  const shownBrigades = filter.brigade ? brigades.filter((b) => b.code === filter.brigade) : brigades;

  const duty = history.dutyHours.filter((d) => {
    const day = beijing(d.hourStart).toISODate()!;
    return day >= filter.from && day <= filter.to && (!filter.brigade || d.brigadeCode === filter.brigade) && (!filter.day || day === filter.day);
  });
  const arrivalDays = filter.day ? 1 : days.length;

  return {
    totals: {
      reported: cases.length,
      refused: count('refused'),
      queued: cases.length - count('refused'),
      answered: cases.filter((c) => c.answeredAt).length,
      released: count('released'),
      decided: cases.filter((c) => c.decision || c.review).length,
      delivered: cases.filter((c) => c.deliveredAt || c.review).length,
    },
    perDay: days.map((date) => {
      const mine = cases.filter((c) => dayOf(c) === date);
      return { date, reported: mine.length, answered: mine.filter((c) => c.answeredAt).length, released: released(mine).length };
    }),
    perHour: Array.from({ length: 24 }, (_, hour) => {
      const reported = cases.filter((c) => beijing(c.reportedAt).hour === hour).length;
      return { hour, reported, perDay: reported / days.length };
    }),
    perWeekday: Array.from({ length: 7 }, (_, i) => {
      const reported = cases.filter((c) => beijing(c.reportedAt).weekday === i + 1).length;
      const n = days.filter((d) => DateTime.fromISO(d, { zone: ZONE }).weekday === i + 1).length;
      return { weekday: i + 1, reported, days: n, perDay: n ? reported / n : 0 };
    }),
    perBrigade: shownBrigades.map((b) => {
      const mine = cases.filter((c) => c.brigadeCode === b.code);
      return {
        brigadeCode: b.code,
        brigadeName: b.name,
        reported: mine.length,
        answered: mine.filter((c) => c.answeredAt).length,
        released: released(mine).length,
        serviceLevel: level(mine),
        answerWait: summary(waits(mine)),
        handling: summary(handlings(mine)),
      };
    }),
    perDistrict: districts
      .map((adcode) => {
        const mine = cases.filter((c) => c.districtAdcode === adcode);
        return { adcode, name: mine[0]!.districtName, reported: mine.length, released: released(mine).length };
      })
      .sort((a, b) => b.reported - a.reported || a.adcode.localeCompare(b.adcode)),
    outcomes: { released: count('released'), redirected: count('redirected'), refused: count('refused'), cancelled: count('cancelled'), abandoned: count('abandoned'), open: count('open') },
    redirectReasons: [...reasons.entries()]
      .map(([key, n]) => ({ source: key.split('|')[0], reason: key.slice(key.indexOf('|') + 1), count: n }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    answerWait: summary(waits(cases)),
    handling: summary(handlings(cases)),
    serviceLevel: level(cases),
    serviceLevelByWeek: weeks.map((isoWeek) => ({
      isoWeek,
      weekStart: DateTime.fromISO(isoWeek, { zone: ZONE }).toISODate(),
      serviceLevel: level(cases.filter((c) => beijing(c.reportedAt).toFormat("kkkk-'W'WW") === isoWeek)),
    })),
    reviews: {
      delivered: cases.filter((c) => c.deliveredAt || c.review).length,
      requested: cases.filter((c) => c.review).length,
      rate: cases.filter((c) => c.deliveredAt || c.review).length ? cases.filter((c) => c.review).length / cases.filter((c) => c.deliveredAt || c.review).length : null,
      outcomes: Object.fromEntries(['received', 'accepted', 'not_accepted', 'upheld', 'redone'].map((s) => [s, cases.filter((c) => c.review?.status === s).length])),
    },
    insurerHandoffs: {
      total: handoffs.length,
      accepted: handoffs.filter((h) => h.status === 'accepted').length,
      failed: handoffs.filter((h) => h.status === 'failed').length,
      sending: handoffs.filter((h) => h.status === 'sending').length,
      cases: new Set(handoffs.map((h) => String(h.caseId))).size,
      byInsurer: insurers
        .map((code) => {
          const mine = handoffs.filter((h) => h.insurerCode === code);
          return { insurerCode: code, insurerName: mine[0]!.insurerName, total: mine.length, accepted: mine.filter((h) => h.status === 'accepted').length };
        })
        .sort((a, b) => b.total - a.total || a.insurerCode.localeCompare(b.insurerCode)),
    },
    waitHistogram: histogram(waits(cases), 20),
    handlingHistogram: histogram(handlings(cases), 40),
    arrivalsVsDuty: {
      day: filter.day ?? null,
      hours: Array.from({ length: 24 }, (_, hour) => ({
        hour,
        arrivals: cases.filter((c) => beijing(c.reportedAt).hour === hour && (!filter.day || dayOf(c) === filter.day)).length / arrivalDays,
        dispatchersOnDuty: duty.filter((d) => beijing(d.hourStart).hour === hour).length / arrivalDays,
      })),
    },
  };
}
