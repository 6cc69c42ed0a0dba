import type { StaffingHour, StaffingPrediction } from '../../../typings/api/staffing';
import { agentsNeeded, answeredWithin, erlangC } from '../staffing';
import type { HourLoad } from './observed-load';
import { hourOf, weekdayOf } from './week-hours';

export interface Target {
  /** Share of calls to answer within `withinSeconds` (0…1). */
  target: number;
  withinSeconds: number;
}

/**
 * One hour of the week: what it needs by Erlang C for the observed calls and handling time, and what
 * the rostered number would give. An hour whose calls were never released borrows the brigade's mean
 * handling time over the window; without any handled call at all nothing can be predicted.
 */
export function recommendHour(index: number, load: HourLoad, brigadeMeanHandlingSeconds: number | null, rostered: number, goal: Target): StaffingHour {
  const handlingSecondsUsed = load.meanHandlingSeconds ?? brigadeMeanHandlingSeconds;
  const handlingBasis = load.meanHandlingSeconds !== null ? 'hour' : handlingSecondsUsed !== null ? 'brigade' : 'none';
  const arrivalRate = load.arrivalsPerHour / 3600;
  const predictable = arrivalRate > 0 && handlingSecondsUsed !== null && handlingSecondsUsed > 0;
  const needed = predictable ? agentsNeeded(arrivalRate, handlingSecondsUsed, goal.target, goal.withinSeconds) : 0;
  const predict = (dispatchers: number): StaffingPrediction | null => {
    if (!predictable) return null;
    const desk = { arrivalRate, meanHandlingSeconds: handlingSecondsUsed, agents: dispatchers };
    const model = erlangC(desk);
    return {
      dispatchers,
      serviceLevel: dispatchers > 0 ? answeredWithin(desk, goal.withinSeconds) : 0,
      probabilityOfWaiting: model.probabilityOfWaiting,
      meanWaitSeconds: Number.isFinite(model.meanWaitSeconds) ? model.meanWaitSeconds : null,
    };
  };
  return {
    index,
    weekday: weekdayOf(index),
    hour: hourOf(index),
    arrivals: load.arrivals,
    arrivalsPerHour: load.arrivalsPerHour,
    handled: load.handled,
    meanHandlingSeconds: load.meanHandlingSeconds,
    handlingSecondsUsed,
    handlingBasis,
    trafficErlangs: predictable ? arrivalRate * handlingSecondsUsed : 0,
    needed,
    rostered,
    short: rostered < needed,
    withNeeded: predict(needed),
    withRostered: predict(rostered),
  };
}
