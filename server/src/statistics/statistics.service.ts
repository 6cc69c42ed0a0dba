import type { StatisticsResponse } from '../../../typings/api/statistics';
import { brigadeNames } from '../brigades';
import { notFound } from '../platform/errors';
import type { Logger } from '../platform/logger';
import { CaseStatDay } from './case-stat.model';
import { unpack } from './case-stats';
import { computeFigures, type FigureRow } from './figures';
import type { StatisticsRange } from './statistics.schemas';
import { dutyOf } from './duty-days';
import { reconcileCaseStats, statsState, type ReconcileResult } from './stats-reconcile';

/**
 * How often the reconcile runs (main.ts), besides at start-up: it reads every case (FerretDB filters
 * `updatedAt` by scanning; a year took ~2 min of the engine on the loaded bench box), so it is a safety
 * net, not the way rows follow the cases — the listeners are, and a crash that lost one is followed by
 * a start-up, which reconciles. Daily, it also sums the day before's duty hours.
 */
export const RECONCILE_EVERY_MS = 24 * 3600_000;
/** A read finding no run for longer than that starts one in the background (no process ran the sweep). */
const STALE_AFTER_MS = RECONCILE_EVERY_MS + 3600_000;

let running: Promise<ReconcileResult> | null = null;

/** The reconcile of the rows against the cases, one at a time per process (start-up, the sweep, a read). */
export function reconcileStatistics(logger?: Logger): Promise<ReconcileResult> {
  if (!running) {
    running = reconcileCaseStats().finally(() => {
      running = null;
    });
    void running.then((result) => {
      if (result.full) logger?.info(result, 'statistics rows built from the cases');
      else if (result.repaired > 0) logger?.warn(result, 'statistics rows repaired');
    }, () => undefined);
  }
  return running;
}

/** Before a read: the rollups must exist (the first build is waited for); a stale mark only starts a catch-up. */
async function ensureBuilt(logger: Logger): Promise<{ dutyThrough: string | null }> {
  const state = await statsState();
  if (!state) {
    await reconcileStatistics(logger);
    return (await statsState()) ?? { dutyThrough: null };
  }
  // Real time, not the business clock: the mark is when a run really began.
  if (Date.now() - state.syncedThrough.getTime() > STALE_AFTER_MS) {
    reconcileStatistics(logger).catch((err: unknown) => logger.error({ err }, 'statistics reconcile failed'));
  }
  return state;
}

/** Months ('YYYY-MM') the range touches: the packs are read one month per query (see index.ts for why). */
const monthsOf = (range: StatisticsRange) => [...new Set(range.days.map((d) => d.slice(0, 7)))];

/** The range's rows: its months' packs (of one brigade, or all), the days outside the range dropped. */
export async function rowsOf(range: StatisticsRange): Promise<FigureRow[]> {
  const rows: FigureRow[] = [];
  // One month at a time: in parallel they only queue up in the engine, and memory stays one month's.
  for (const month of monthsOf(range)) {
    const packs = await CaseStatDay.find({ month, ...(range.brigade ? { brigadeCode: range.brigade } : {}) }, { brigadeCode: 1, day: 1, rows: 1 }).lean();
    for (const pack of packs) if (pack.day >= range.from && pack.day <= range.to) rows.push(...unpack({ brigadeCode: pack.brigadeCode ?? null, day: pack.day, rows: pack.rows }));
  }
  return rows;
}

export async function statisticsFor(range: StatisticsRange, services: { clock: () => Date; logger: Logger }): Promise<StatisticsResponse> {
  const brigades = await brigadeNames();
  const brigade = range.brigade ? brigades.find((b) => b.code === range.brigade) : null;
  if (range.brigade && !brigade) throw notFound('没有这个大队');
  const { dutyThrough } = await ensureBuilt(services.logger);
  // The duty log's hours up to now in real time (its hours are real hours, whatever the business clock says).
  const [rows, duty] = await Promise.all([rowsOf(range), dutyOf(range, dutyThrough, new Date())]);
  return {
    range: { from: range.from, to: range.to, days: range.days.length, brigade: brigade ? { code: brigade.code, name: brigade.name } : null, timeZone: 'Asia/Shanghai' },
    generatedAt: services.clock().toISOString(),
    ...computeFigures({ range, rows, duty, brigades }),
  };
}
