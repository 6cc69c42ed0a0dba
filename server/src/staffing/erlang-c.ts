/**
 * Erlang C (M/M/c): calls arriving at rate λ, each handled in a mean time 1/μ, by c dispatchers, one
 * call each, first come first served, nobody hanging up. The traffic is a = λ/μ erlangs; with c > a:
 *
 *   P(wait) = C(c, a) = [aᶜ/c! · c/(c−a)] / [Σ_{k<c} aᵏ/k! + aᶜ/c! · c/(c−a)]
 *   P(wait ≤ t) = 1 − C · e^{−(cμ − λ)·t}        mean wait = C / (cμ − λ)
 *
 * The sum is built term by term (aᵏ/k! from the previous term), so large c does not overflow.
 */
export interface ErlangInput {
  /** Arrivals per second. */
  arrivalRate: number;
  /** Mean handling time, seconds. */
  meanHandlingSeconds: number;
  /** Dispatchers answering. */
  agents: number;
}

export interface ErlangResult {
  /** Offered traffic in erlangs (arrival rate × mean handling time). */
  trafficErlangs: number;
  /** Share of time each dispatcher is busy. */
  occupancy: number;
  /** Probability a call waits at all; 1 when the dispatchers cannot keep up. */
  probabilityOfWaiting: number;
  /** Mean wait of all calls, seconds (Infinity when they cannot keep up). */
  meanWaitSeconds: number;
}

export function erlangC({ arrivalRate, meanHandlingSeconds, agents }: ErlangInput): ErlangResult {
  const a = arrivalRate * meanHandlingSeconds;
  const c = agents;
  if (c <= a) return { trafficErlangs: a, occupancy: 1, probabilityOfWaiting: 1, meanWaitSeconds: Infinity };
  let term = 1; // a^k / k!, from k = 0
  let sum = 0;
  for (let k = 0; k < c; k++) {
    sum += term;
    term *= a / (k + 1);
  }
  const top = term * (c / (c - a)); // term is now a^c / c!
  const waiting = top / (sum + top);
  const mu = 1 / meanHandlingSeconds;
  return { trafficErlangs: a, occupancy: a / c, probabilityOfWaiting: waiting, meanWaitSeconds: waiting / (c * mu - arrivalRate) };
}

/** P(wait ≤ t): the share of calls answered within `seconds`. */
export function answeredWithin(input: ErlangInput, seconds: number): number {
  const { probabilityOfWaiting } = erlangC(input);
  if (probabilityOfWaiting >= 1) return 0;
  const mu = 1 / input.meanHandlingSeconds;
  return 1 - probabilityOfWaiting * Math.exp(-(input.agents * mu - input.arrivalRate) * seconds);
}

/** The fewest dispatchers that answer at least `target` of calls within `seconds` (at least one). */
export function agentsNeeded(arrivalRate: number, meanHandlingSeconds: number, target: number, seconds: number, maxAgents = 200): number {
  if (arrivalRate <= 0) return 0;
  for (let agents = Math.max(1, Math.floor(arrivalRate * meanHandlingSeconds) + 1); agents <= maxAgents; agents++) {
    if (answeredWithin({ arrivalRate, meanHandlingSeconds, agents }, seconds) >= target) return agents;
  }
  return maxAgents;
}
