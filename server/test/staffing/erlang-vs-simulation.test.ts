import { agentsNeeded, answeredWithin, erlangC } from '../../src/staffing/erlang-c';
import { simulateDesk } from '../../src/staffing/simulation';

const perHour = (n: number) => n / 3600;
/** Long enough for ~100 000 calls at the busiest rate: the simulation's noise is well under the tolerances. */
const SPAN = 400 * 12 * 3600;

describe('Erlang C', () => {
  it('gives the textbook values', () => {
    // a = 2 erlangs on 3 agents: C(3, 2) = 4/9.
    const r = erlangC({ arrivalRate: 2, meanHandlingSeconds: 1, agents: 3 });
    expect(r.probabilityOfWaiting).toBeCloseTo(4 / 9, 10);
    expect(r.meanWaitSeconds).toBeCloseTo(4 / 9, 10); // C / (cμ − λ) = (4/9) / 1
    expect(r.occupancy).toBeCloseTo(2 / 3, 10);
    // One agent is M/M/1: P(wait) = ρ.
    expect(erlangC({ arrivalRate: 0.5, meanHandlingSeconds: 1, agents: 1 }).probabilityOfWaiting).toBeCloseTo(0.5, 10);
    // Overloaded: everyone waits, without end.
    expect(erlangC({ arrivalRate: 3, meanHandlingSeconds: 1, agents: 3 })).toMatchObject({ probabilityOfWaiting: 1, meanWaitSeconds: Infinity });
  });

  it('stays finite for a large desk (terms built one from the other)', () => {
    const r = erlangC({ arrivalRate: 150, meanHandlingSeconds: 1, agents: 170 });
    expect(r.probabilityOfWaiting).toBeGreaterThan(0);
    expect(r.probabilityOfWaiting).toBeLessThan(0.2);
  });

  it('recommends the fewest dispatchers that meet the target', () => {
    const need = agentsNeeded(perHour(30), 300, 0.8, 60);
    expect(answeredWithin({ arrivalRate: perHour(30), meanHandlingSeconds: 300, agents: need }, 60)).toBeGreaterThanOrEqual(0.8);
    expect(answeredWithin({ arrivalRate: perHour(30), meanHandlingSeconds: 300, agents: need - 1 }, 60)).toBeLessThan(0.8);
  });
});

describe('Erlang C and the simulation of the desk', () => {
  // A quiet hour, a busy one, and one run hot (occupancy 0.83), with 4-minute to 5-minute calls.
  const cases = [
    { name: '12 calls/h, 4 min, 2 dispatchers', arrivalRate: perHour(12), meanHandlingSeconds: 240, agents: 2 },
    { name: '30 calls/h, 5 min, 4 dispatchers', arrivalRate: perHour(30), meanHandlingSeconds: 300, agents: 4 },
    { name: '25 calls/h, 4 min, 2 dispatchers', arrivalRate: perHour(25), meanHandlingSeconds: 240, agents: 2 },
  ];

  it.each(cases)('agree under Erlang C’s own assumptions (exponential handling, nobody hangs up): $name', (desk) => {
    const model = erlangC(desk);
    const sim = simulateDesk({ ...desk, handling: 'exponential', seconds: SPAN, seed: 7 });
    expect(sim.arrived).toBeGreaterThan(50_000);
    // Tolerances: 0.02 absolute on probabilities, 10 % on the mean wait.
    expect(Math.abs(sim.probabilityOfWaiting - model.probabilityOfWaiting)).toBeLessThan(0.02);
    expect(Math.abs(sim.answeredWithin(60) - answeredWithin(desk, 60))).toBeLessThan(0.02);
    expect(Math.abs(sim.meanWaitSeconds - model.meanWaitSeconds) / model.meanWaitSeconds).toBeLessThan(0.1);
  });

  it('diverge where the assumptions do not hold: log-normal handling shortens waits; hanging up shortens them more', () => {
    const desk = cases[2]!;
    const model = erlangC(desk);
    // Handling times with a long right tail but less spread than exponential (σ = 0.5: CV² ≈ 0.28).
    const lognormal = simulateDesk({ ...desk, handling: { lognormalSigma: 0.5 }, seconds: SPAN, seed: 7 });
    // Whether a call waits hardly depends on the shape (within 0.05); how long it waits does:
    // about (1 + CV²) / 2 of Erlang C's mean (the Allen–Cunneen approximation).
    expect(Math.abs(lognormal.probabilityOfWaiting - model.probabilityOfWaiting)).toBeLessThan(0.05);
    const ratio = lognormal.meanWaitSeconds / model.meanWaitSeconds;
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(0.8);
    // Callers who hang up after 2 minutes: some are lost, and those answered waited less than Erlang C says.
    const impatient = simulateDesk({ ...desk, handling: 'exponential', patienceSeconds: 120, seconds: SPAN, seed: 7 });
    expect(impatient.abandoned / impatient.arrived).toBeGreaterThan(0.05);
    expect(impatient.meanWaitSeconds).toBeLessThan(model.meanWaitSeconds * 0.6);
  });

  it('is repeatable with a seed and differs with another', () => {
    const desk = { ...cases[0]!, handling: 'exponential' as const, seconds: 30 * 12 * 3600 };
    expect(simulateDesk({ ...desk, seed: 1 }).waits).toEqual(simulateDesk({ ...desk, seed: 1 }).waits);
    expect(simulateDesk({ ...desk, seed: 2 }).waits).not.toEqual(simulateDesk({ ...desk, seed: 1 }).waits);
  });
});
