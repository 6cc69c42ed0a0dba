import discreteUniform from '@stdlib/random-base-discrete-uniform';
import exponential from '@stdlib/random-base-exponential';
import lognormal from '@stdlib/random-base-lognormal';

export interface DayHour {
  /** Arrivals per second (Poisson) during this hour. */
  arrivalRate: number;
  /** Dispatchers on duty during this hour. */
  agents: number;
  /** Mean handling time of this hour's calls, seconds (ignored when no calls arrive). */
  meanHandlingSeconds: number;
}

/**
 * How long a call takes: 'exponential' (Erlang C's assumption); `empirical` — observed handling times
 * resampled, each multiplied by the hour's mean over theirs (the shape of all, the mean of the hour);
 * `lognormalSigma` — a log-normal of that σ with the hour's mean.
 */
export type DayHandling = 'exponential' | { empirical: number[] } | { lognormalSigma: number };

export interface DaySimulationInput {
  /** Consecutive clock hours, the first starting the day (24 for a day). */
  hours: DayHour[];
  handling: DayHandling;
  /** The day is simulated this many times over (independent days, the desk empty at each start). */
  days: number;
  /** A caller who has waited this long hangs up. */
  patienceSeconds?: number;
  seed: number;
}

export interface DayHourResult {
  /** Calls that arrived in this hour, over all days. */
  arrived: number;
  answered: number;
  /** Hung up, or still waiting when nobody was on duty for the rest of the day. */
  lost: number;
  /** Waits of the answered calls, seconds. */
  waits: number[];
  meanWaitSeconds: number;
  /** Share of this hour's calls answered within the given seconds (lost ones count as not). */
  answeredWithin(seconds: number): number;
}

const HOUR = 3600;

/**
 * A day at the desk with the rate and the dispatchers changing by the hour: Poisson arrivals (piecewise
 * constant, exact because the process is memoryless), first come first served by the dispatcher who can
 * start soonest, dispatcher i on duty in the hours whose count exceeds i (a call taken before a shift
 * ends is finished). The queue carries over from one hour to the next, which Erlang C, hour by hour,
 * does not see. Results are filed under the hour each call arrived in. Seeded.
 */
export function simulateDay(input: DaySimulationInput): DayHourResult[] {
  const gap = exponential.factory({ seed: input.seed });
  const pick = discreteUniform.factory({ seed: input.seed + 1 });
  const expHandling = exponential.factory({ seed: input.seed + 2 });
  const logHandling = lognormal.factory({ seed: input.seed + 3 });
  const handling = input.handling;
  const empirical = typeof handling === 'object' && 'empirical' in handling ? handling.empirical.filter((s) => s > 0) : null;
  if (empirical && empirical.length === 0) throw new Error('simulateDay: no positive handling times to resample');
  const empiricalMean = empirical ? empirical.reduce((s, x) => s + x, 0) / empirical.length : 0;
  const draw = (mean: number): number => {
    if (handling === 'exponential') return expHandling(1 / mean);
    if (empirical) return empirical[pick(0, empirical.length - 1)]! * (mean / empiricalMean);
    const sigma = (handling as { lognormalSigma: number }).lognormalSigma;
    if (sigma <= 0) return mean; // every call alike
    return logHandling(Math.log(mean) - (sigma * sigma) / 2, sigma);
  };

  const hours = input.hours;
  const staffed = Math.max(0, ...hours.map((h) => h.agents));
  /** The first moment ≥ t at which dispatcher i is on duty; Infinity when not again today. */
  const onDutyFrom = (i: number, t: number): number => {
    for (let h = Math.floor(t / HOUR); h < hours.length; h++) if (i < hours[h]!.agents) return Math.max(t, h * HOUR);
    return Infinity;
  };

  const waits: number[][] = hours.map(() => []);
  const arrived = new Array<number>(hours.length).fill(0);
  const lost = new Array<number>(hours.length).fill(0);
  for (let day = 0; day < input.days; day++) {
    const freeAt = new Array<number>(staffed).fill(0);
    for (let h = 0; h < hours.length; h++) {
      const { arrivalRate, meanHandlingSeconds } = hours[h]!;
      if (arrivalRate <= 0) continue;
      for (let t = h * HOUR + gap(arrivalRate); t < (h + 1) * HOUR; t += gap(arrivalRate)) {
        arrived[h]!++;
        let best = -1;
        let start = Infinity;
        for (let i = 0; i < staffed; i++) {
          const s = onDutyFrom(i, Math.max(t, freeAt[i]!));
          if (s < start) [best, start] = [i, s];
        }
        const wait = start - t;
        if (best < 0 || (input.patienceSeconds !== undefined && wait > input.patienceSeconds)) {
          lost[h]!++; // nobody free in time: the dispatcher's time is not taken
          continue;
        }
        waits[h]!.push(wait);
        freeAt[best] = start + draw(meanHandlingSeconds);
      }
    }
  }
  return hours.map((_, h) => {
    const w = waits[h]!;
    return {
      arrived: arrived[h]!,
      answered: w.length,
      lost: lost[h]!,
      waits: w,
      meanWaitSeconds: w.length ? w.reduce((s, x) => s + x, 0) / w.length : 0,
      answeredWithin: (seconds: number) => (arrived[h] ? w.filter((x) => x <= seconds).length / arrived[h]! : 0),
    };
  });
}

/** σ of a log-normal fitted to positive samples (maximum likelihood: the spread of their logarithms). */
export function lognormalSigmaOf(samples: number[]): number {
  const logs = samples.filter((s) => s > 0).map(Math.log);
  if (logs.length < 2) return 0;
  const mean = logs.reduce((s, x) => s + x, 0) / logs.length;
  return Math.sqrt(logs.reduce((s, x) => s + (x - mean) ** 2, 0) / logs.length);
}
