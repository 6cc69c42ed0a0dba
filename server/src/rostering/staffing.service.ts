import type { StaffingResponse } from '../../../typings/api/staffing';
import { findBrigade } from '../brigades';
import { notFound } from '../platform/errors';
import { observedLoad } from './observed-load';
import { recommendHour, type Target } from './recommendation';
import { currentRoster } from './roster.service';

/**
 * For each hour of the week: the calls and handling time observed over the last `weeks` whole weeks,
 * the dispatchers Erlang C needs for the target, and the roster beside it. `until` is any moment of
 * the Beijing day the window ends before (today, or a day being simulated).
 */
export async function staffingRecommendation(brigadeCode: string, options: Target & { weeks: number; until: Date }): Promise<StaffingResponse> {
  const brigade = await findBrigade(brigadeCode);
  if (!brigade) throw notFound('大队不存在');
  const [load, roster] = await Promise.all([observedLoad(brigadeCode, options.weeks, options.until), currentRoster(brigadeCode)]);
  const hours = load.hours.map((h, i) => recommendHour(i, h, load.meanHandlingSeconds, roster.dispatchers[i] ?? 0, options));
  const { dispatchers: _all, ...rosterInfo } = roster;
  return {
    brigadeCode,
    brigadeName: brigade.name,
    weeks: options.weeks,
    target: options.target,
    withinSeconds: options.withinSeconds,
    window: { from: load.from.toISOString(), to: load.to.toISOString() },
    calls: load.calls,
    meanHandlingSeconds: load.meanHandlingSeconds,
    roster: rosterInfo,
    hours,
    shortHours: hours.filter((h) => h.short).length,
  };
}
