/**
 * The observed mode of `npm run simulate`: one city-day (or one brigade's) simulated at the arrival rates
 * and handling times its cases show over the weeks before that day, beside Erlang C hour by hour.
 * Handling times are the brigade's observed answer → release times, resampled (empirical; `--handling
 * lognormal` fits a log-normal instead), each scaled to its hour's observed mean, which is the one Erlang C
 * is given, so the two differ only by what Erlang C assumes away: the shape of the handling times and the
 * queue one hour hands to the next.
 */
import { DateTime } from 'luxon';
import { Brigade } from '../server/src/brigades/brigade.model';
import { observedLoad, staffingRecommendation } from '../server/src/rostering';
import { answeredWithin, erlangC, lognormalSigmaOf, simulateDay, type DayHandling } from '../server/src/staffing';

export const ZONE = 'Asia/Shanghai';

export interface ObservedRun {
  /** null: every brigade of the city. */
  brigade: string | null;
  /** YYYY-MM-DD, Beijing. */
  day: string;
  /** A fixed number for every hour, the roster, or Erlang C's recommendation. */
  dispatchers: number | 'roster' | 'recommended';
  weeks: number;
  target: number;
  withinSeconds: number;
  handling: 'empirical' | 'lognormal';
  days: number;
  patienceSeconds?: number;
  seed: number;
}

interface BrigadeTotals {
  calls: number;
  erlangWithin: number;
  simulatedWithin: number;
  lost: number;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const secs = (x: number | null) => (x === null || !Number.isFinite(x) ? '∞' : `${x.toFixed(0)} s`);
const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : 0);

export async function simulateObserved(run: ObservedRun, say: (line: string) => void = console.log): Promise<void> {
  const date = DateTime.fromISO(run.day, { zone: ZONE });
  const known = (await Brigade.find({}, { code: 1 }).sort({ code: 1 }).lean()).map((b) => b.code);
  const hint = 'npm start seeds the brigades, npm run demo:history fills a past';
  if (known.length === 0) throw new Error(`no brigades in this database (${hint})`);
  if (run.brigade && !known.includes(run.brigade)) throw new Error(`no brigade ${run.brigade} here: ${known.join(', ')}`);
  const codes = run.brigade ? [run.brigade] : known;
  const city: BrigadeTotals = { calls: 0, erlangWithin: 0, simulatedWithin: 0, lost: 0 };
  for (const [n, code] of codes.entries()) {
    const totals = await simulateBrigade(code, date, run, n, say);
    city.calls += totals.calls;
    city.erlangWithin += totals.erlangWithin;
    city.simulatedWithin += totals.simulatedWithin;
    city.lost += totals.lost;
  }
  if (codes.length > 1 && city.calls > 0) {
    say(`\ncity, ${run.day}: ${city.calls.toFixed(1)} calls expected; answered within ${run.withinSeconds} s — Erlang C ${pct(city.erlangWithin / city.calls)}, simulated ${pct(city.simulatedWithin / city.calls)}; lost ${pct(city.lost / city.calls)}`);
  }
}

async function simulateBrigade(code: string, date: DateTime, run: ObservedRun, n: number, say: (line: string) => void): Promise<BrigadeTotals> {
  const until = date.toJSDate();
  const [plan, load] = await Promise.all([
    staffingRecommendation(code, { weeks: run.weeks, target: run.target, withinSeconds: run.withinSeconds, until }),
    observedLoad(code, run.weeks, until),
  ]);
  const first = (date.weekday - 1) * 24;
  const hours = plan.hours.slice(first, first + 24);
  const agents = hours.map((h) => (run.dispatchers === 'roster' ? h.rostered : run.dispatchers === 'recommended' ? h.needed : run.dispatchers));
  const staffedBy = run.dispatchers === 'roster' ? `the roster (${plan.roster.saved ? `rev ${plan.roster.rev}` : 'none saved: 0 every hour'})` : run.dispatchers === 'recommended' ? `Erlang C's recommendation for ${pct(run.target)} within ${run.withinSeconds} s` : `${run.dispatchers} every hour`;
  say(`\n${code} ${plan.brigadeName} — ${date.toISODate()} (${date.setLocale('zh-CN').toFormat('cccc')}), dispatchers: ${staffedBy}`);
  say(`observed ${plan.weeks} weeks ${DateTime.fromISO(plan.window.from, { zone: ZONE }).toISODate()} … ${DateTime.fromISO(plan.window.to, { zone: ZONE }).minus({ days: 1 }).toISODate()}: ${plan.calls} calls, ${load.handlingSeconds.length} with answer → release (mean ${secs(plan.meanHandlingSeconds)})`);
  const totals: BrigadeTotals = { calls: 0, erlangWithin: 0, simulatedWithin: 0, lost: 0 };
  if (load.handlingSeconds.length === 0 || hours.every((h) => h.arrivals === 0)) {
    say('  no calls handled in those weeks: nothing to simulate (npm run demo:history fills a past)');
    return totals;
  }

  const sigma = lognormalSigmaOf(load.handlingSeconds);
  const handling: DayHandling = run.handling === 'empirical' ? { empirical: load.handlingSeconds } : { lognormalSigma: sigma };
  say(`handling: ${run.handling === 'empirical' ? `the ${load.handlingSeconds.length} observed times resampled` : `log-normal fitted to them (σ ${sigma.toFixed(2)})`}, scaled to each hour's mean; ${run.days} days simulated${run.patienceSeconds ? `, callers hang up after ${run.patienceSeconds} s` : ''}`);
  const simulated = simulateDay({
    hours: hours.map((h, i) => ({ arrivalRate: h.arrivalsPerHour / 3600, agents: agents[i]!, meanHandlingSeconds: h.handlingSecondsUsed ?? plan.meanHandlingSeconds ?? 1 })),
    handling,
    days: run.days,
    patienceSeconds: run.patienceSeconds,
    seed: run.seed + n * 1000,
  });

  const within = run.withinSeconds;
  say(`hour  calls/h  handling  disp. │ Erlang C: ≤${within} s  mean wait │ simulated: ≤${within} s  mean wait  p90 wait   lost`);
  for (const [i, h] of hours.entries()) {
    if (h.arrivals === 0) continue;
    const desk = { arrivalRate: h.arrivalsPerHour / 3600, meanHandlingSeconds: h.handlingSecondsUsed ?? 1, agents: agents[i]! };
    const model = agents[i]! > 0 ? answeredWithin(desk, within) : 0;
    const sim = simulated[i]!;
    const sorted = [...sim.waits].sort((a, b) => a - b);
    totals.calls += h.arrivalsPerHour;
    totals.erlangWithin += h.arrivalsPerHour * model;
    totals.simulatedWithin += h.arrivalsPerHour * sim.answeredWithin(within);
    totals.lost += h.arrivalsPerHour * (sim.arrived ? sim.lost / sim.arrived : 0);
    const short = run.dispatchers !== 'recommended' && agents[i]! < h.needed ? ` (needs ${h.needed})` : '';
    say(
      `${String(h.hour).padStart(2, '0')}:00 ${h.arrivalsPerHour.toFixed(1).padStart(8)} ${secs(h.handlingSecondsUsed).padStart(9)} ${String(agents[i]).padStart(6)} │ ${pct(model).padStart(15)} ${secs(agents[i]! > 0 ? erlangC(desk).meanWaitSeconds : Infinity).padStart(10)} │ ${pct(sim.answeredWithin(within)).padStart(16)} ${(sim.answered ? secs(sim.meanWaitSeconds) : '—').padStart(10)} ${(sim.answered ? secs(percentile(sorted, 0.9)) : '—').padStart(9)} ${pct(sim.arrived ? sim.lost / sim.arrived : 0).padStart(6)}${short}`,
    );
  }
  say(`day: ${totals.calls.toFixed(1)} calls expected; answered within ${within} s — Erlang C ${pct(totals.erlangWithin / totals.calls)}, simulated ${pct(totals.simulatedWithin / totals.calls)}; lost ${pct(totals.lost / totals.calls)}`);
  return totals;
}
