import { answeredWithin, erlangC } from '../../src/staffing/erlang-c';
import { lognormalSigmaOf, simulateDay, type DayHour } from '../../src/staffing/day-simulation';

const perHour = (n: number) => n / 3600;
const day = (hour: (h: number) => DayHour) => Array.from({ length: 24 }, (_, h) => hour(h));
const closed: DayHour = { arrivalRate: 0, agents: 0, meanHandlingSeconds: 300 };

describe('a simulated day at the desk (rates and dispatchers by the hour)', () => {
  it('agrees with Erlang C hour by hour once the desk has settled, under Erlang C’s assumptions', () => {
    // 08:00–20:00 open, 30 calls/h of 5 minutes on 4 dispatchers; the first hour starts empty, so compare from 09:00.
    const hours = day((h) => (h >= 8 && h < 20 ? { arrivalRate: perHour(30), agents: 4, meanHandlingSeconds: 300 } : closed));
    const result = simulateDay({ hours, handling: 'exponential', days: 400, seed: 3 });
    const desk = { arrivalRate: perHour(30), meanHandlingSeconds: 300, agents: 4 };
    // Each hour's share answered within 60 s within 0.03; the mean wait, noisier hour by hour (a queue's
    // waits run in streaks), within 10 % over 09:00–19:00 together. 19:00 is left out: at 20:00 nobody is
    // on duty any more, and whoever still waits is lost (see below).
    const settled = result.slice(9, 19);
    for (const hour of settled) {
      expect(hour.arrived).toBeGreaterThan(10_000);
      expect(Math.abs(hour.answeredWithin(60) - answeredWithin(desk, 60))).toBeLessThan(0.03);
    }
    const waits = settled.flatMap((hour) => hour.waits);
    const meanWait = waits.reduce((s, w) => s + w, 0) / waits.length;
    expect(Math.abs(meanWait - erlangC(desk).meanWaitSeconds) / erlangC(desk).meanWaitSeconds).toBeLessThan(0.1);
    expect(result[19]!.lost).toBeGreaterThan(0);
    // The first hour opens with everyone free: it waits less than the steady state.
    expect(result[8]!.meanWaitSeconds).toBeLessThan(erlangC(desk).meanWaitSeconds);
    expect(result[3]).toMatchObject({ arrived: 0, answered: 0 });
  });

  it('carries the queue over: an hour short of dispatchers makes the next one wait too, which Erlang C per hour does not see', () => {
    // 10:00 has 2 dispatchers for 3 erlangs (overloaded); 11:00 has 5 for the same calls.
    const hours = day((h) => (h === 10 ? { arrivalRate: perHour(36), agents: 2, meanHandlingSeconds: 300 } : h === 11 ? { arrivalRate: perHour(36), agents: 5, meanHandlingSeconds: 300 } : closed));
    const [ten, eleven] = simulateDay({ hours, handling: 'exponential', days: 300, seed: 5 }).slice(10, 12);
    const rested = erlangC({ arrivalRate: perHour(36), meanHandlingSeconds: 300, agents: 5 }).meanWaitSeconds;
    expect(ten!.meanWaitSeconds).toBeGreaterThan(600);
    expect(eleven!.meanWaitSeconds).toBeGreaterThan(rested * 3);
  });

  it('keeps calls waiting until someone comes on duty, and loses those nobody will take today', () => {
    // Calls from 07:00, the first dispatcher only at 08:00; at 21:00 calls but nobody any more.
    const hours = day((h) => (h === 7 ? { arrivalRate: perHour(6), agents: 0, meanHandlingSeconds: 60 } : h === 8 ? { arrivalRate: 0, agents: 3, meanHandlingSeconds: 60 } : h === 21 ? { arrivalRate: perHour(6), agents: 0, meanHandlingSeconds: 60 } : closed));
    const result = simulateDay({ hours, handling: 'exponential', days: 50, seed: 9 });
    expect(result[7]!.answered).toBe(result[7]!.arrived);
    expect(Math.min(...result[7]!.waits)).toBeGreaterThan(0);
    expect(Math.max(...result[7]!.waits)).toBeLessThanOrEqual(3600);
    expect(result[21]!.arrived).toBeGreaterThan(0);
    expect(result[21]).toMatchObject({ answered: 0, lost: result[21]!.arrived });
  });

  it('resamples observed handling times scaled to each hour’s mean; callers who hang up are lost', () => {
    // Handling only ever 100 s or 300 s (mean 200); the hour's mean is 400, so calls last 200 s or 600 s.
    // One dispatcher, calls 100 s apart on average: whoever waits, waits a multiple of nothing else but those.
    const hours = day((h) => (h === 9 ? { arrivalRate: perHour(2), agents: 1, meanHandlingSeconds: 400 } : closed));
    const result = simulateDay({ hours, handling: { empirical: [100, 300] }, days: 2000, seed: 11, patienceSeconds: 590 })[9]!;
    expect(result.answered).toBeGreaterThan(1000);
    // A caller who waited behind one call waited less than that call's length (200 or 600 s), so never more than 600.
    expect(Math.max(...result.waits)).toBeLessThanOrEqual(590);
    expect(result.lost + result.answered).toBe(result.arrived);
    expect(result.lost).toBeGreaterThan(0);
    // With the hour's mean kept, P(wait) ≈ occupancy ≈ 2 × 400 / 3600 for one dispatcher.
    expect(result.waits.filter((w) => w > 0).length / result.answered).toBeGreaterThan(0.12);
    expect(result.waits.filter((w) => w > 0).length / result.answered).toBeLessThan(0.3);
  });

  it('fits a log-normal σ to samples and is repeatable with a seed', () => {
    expect(lognormalSigmaOf([Math.E, Math.E ** 3])).toBeCloseTo(1, 10);
    expect(lognormalSigmaOf([5])).toBe(0);
    const hours = day((h) => (h === 9 ? { arrivalRate: perHour(20), agents: 2, meanHandlingSeconds: 300 } : closed));
    const run = (seed: number) => simulateDay({ hours, handling: { lognormalSigma: 0.5 }, days: 20, seed })[9]!.waits;
    expect(run(1)).toEqual(run(1));
    expect(run(2)).not.toEqual(run(1));
  });
});
