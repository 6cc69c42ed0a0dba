import { queuedCaseTimes, type CaseTimes } from '../cases';
import { HOURS_PER_WEEK, hourOfWeek, observedWindow } from './week-hours';

export interface HourLoad {
  /** Calls reported in this hour of the week over the window. */
  arrivals: number;
  arrivalsPerHour: number;
  /** Of those, answered and released. */
  handled: number;
  meanHandlingSeconds: number | null;
}

/** What a brigade's desk saw over the last weeks, by hour of the week. */
export interface ObservedLoad {
  brigadeCode: string;
  weeks: number;
  from: Date;
  to: Date;
  calls: number;
  hours: HourLoad[];
  /** Every answer → release in the window, seconds: the distribution the simulation draws from. */
  handlingSeconds: number[];
  meanHandlingSeconds: number | null;
}

/** The observed load of the `weeks` whole weeks before the Beijing day of `until` (one query over the range). */
export async function observedLoad(brigadeCode: string, weeks: number, until: Date): Promise<ObservedLoad> {
  const { from, to } = observedWindow(until, weeks);
  return summarizeLoad(brigadeCode, weeks, from, to, await queuedCaseTimes(brigadeCode, from, to));
}

/** Handling is answer → release, filed under the hour the call came in (the hour whose staffing it loads). */
export function summarizeLoad(brigadeCode: string, weeks: number, from: Date, to: Date, calls: CaseTimes[]): ObservedLoad {
  const arrivals = new Array<number>(HOURS_PER_WEEK).fill(0);
  const handled = new Array<number>(HOURS_PER_WEEK).fill(0);
  const handlingSum = new Array<number>(HOURS_PER_WEEK).fill(0);
  const handlingSeconds: number[] = [];
  for (const c of calls) {
    const index = hourOfWeek(c.reportedAt);
    arrivals[index]!++;
    if (!c.answeredAt || !c.releasedAt || c.releasedAt < c.answeredAt) continue;
    const seconds = (c.releasedAt.getTime() - c.answeredAt.getTime()) / 1000;
    handled[index]!++;
    handlingSum[index]! += seconds;
    handlingSeconds.push(seconds);
  }
  const total = handlingSeconds.reduce((s, x) => s + x, 0);
  return {
    brigadeCode,
    weeks,
    from,
    to,
    calls: calls.length,
    hours: arrivals.map((n, i) => ({
      arrivals: n,
      arrivalsPerHour: n / weeks,
      handled: handled[i]!,
      meanHandlingSeconds: handled[i] ? handlingSum[i]! / handled[i]! : null,
    })),
    handlingSeconds,
    meanHandlingSeconds: handlingSeconds.length ? total / handlingSeconds.length : null,
  };
}
