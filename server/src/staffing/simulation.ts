import exponential from '@stdlib/random-base-exponential';
import lognormal from '@stdlib/random-base-lognormal';

export interface SimulationInput {
  /** Arrivals per second (Poisson). */
  arrivalRate: number;
  /** Mean handling time, seconds. */
  meanHandlingSeconds: number;
  /** 'exponential' is Erlang C's own assumption; 'lognormal' is what handling times look like in practice. */
  handling: 'exponential' | { lognormalSigma: number };
  agents: number;
  /** Simulated span, seconds (a city-day is 12 h of service). */
  seconds: number;
  /** A caller who has waited this long hangs up (Erlang C has nobody hang up). */
  patienceSeconds?: number;
  seed: number;
}

export interface SimulationResult {
  arrived: number;
  answered: number;
  abandoned: number;
  /** Among answered calls. */
  probabilityOfWaiting: number;
  meanWaitSeconds: number;
  /** Share of arrived calls answered within the given seconds. */
  answeredWithin(seconds: number): number;
  waits: number[];
}

/**
 * A discrete-event simulation of the desk: Poisson arrivals, each taken first come first served by the
 * dispatcher free soonest (one call each), handling times drawn from the chosen distribution, and
 * callers who hang up once they have waited `patienceSeconds`. Seeded, so a run can be repeated.
 */
export function simulateDesk(input: SimulationInput): SimulationResult {
  const nextGap = exponential.factory(input.arrivalRate, { seed: input.seed });
  const handlingTime =
    input.handling === 'exponential'
      ? exponential.factory(1 / input.meanHandlingSeconds, { seed: input.seed + 1 })
      : lognormalWithMean(input.meanHandlingSeconds, input.handling.lognormalSigma, input.seed + 1);
  // When each dispatcher is next free; the desk opens with everyone free.
  const freeAt = new Array<number>(input.agents).fill(0);
  const waits: number[] = [];
  let arrived = 0;
  let abandoned = 0;
  for (let t = nextGap(); t < input.seconds; t += nextGap()) {
    arrived++;
    let soonest = 0;
    for (let i = 1; i < freeAt.length; i++) if (freeAt[i]! < freeAt[soonest]!) soonest = i;
    const wait = Math.max(0, freeAt[soonest]! - t);
    if (input.patienceSeconds !== undefined && wait > input.patienceSeconds) {
      abandoned++; // hung up before anyone was free; the dispatcher's time is not taken
      continue;
    }
    waits.push(wait);
    freeAt[soonest] = t + wait + handlingTime();
  }
  const answered = waits.length;
  return {
    arrived,
    answered,
    abandoned,
    probabilityOfWaiting: answered ? waits.filter((w) => w > 0).length / answered : 0,
    meanWaitSeconds: answered ? waits.reduce((s, w) => s + w, 0) / answered : 0,
    answeredWithin: (seconds) => (arrived ? waits.filter((w) => w <= seconds).length / arrived : 0),
    waits,
  };
}

/** A log-normal with the given mean: μ = ln(mean) − σ²/2. */
function lognormalWithMean(mean: number, sigma: number, seed: number): () => number {
  return lognormal.factory(Math.log(mean) - (sigma * sigma) / 2, sigma, { seed });
}
