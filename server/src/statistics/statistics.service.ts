import type { StatisticsResponse } from '../../../typings/api/statistics';
import { brigadeNames } from '../brigades';
import { notFound } from '../platform/errors';
import type { Logger } from '../platform/logger';
import { dutyHours } from '../staff';
import { CaseStatDay } from './case-stat.model';
import { unpack } from './case-stats';
import { computeFigures, type FigureRow } from './figures';
import type { StatisticsRange } from './statistics.schemas';
import { reconcileCaseStats, statsSyncedThrough, type ReconcileResult } from './stats-reconcile';

/**
 * How often the reconcile runs (main.ts): it reads every case (FerretDB filters `updatedAt` by
 * scanning), so it is a safety net, not the way rows follow the cases — the listeners are.
 */
export const RECONCILE_EVERY_MS = 6 * 3600_000;
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

/** Before a read: the rows must exist (the first build is waited for); a stale mark only starts a catch-up. */
async function ensureBuilt(logger: Logger): Promise<void> {
  const through = await statsSyncedThrough();
  if (!through) {
    await reconcileStatistics(logger);
    return;
  }
  // Real time, not the business clock: the mark is when a run really began.
  if (Date.now() - through.getTime() > STALE_AFTER_MS) {
    reconcileStatistics(logger).catch((err: unknown) => logger.error({ err }, 'statistics reconcile failed'));
  }
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
  await ensureBuilt(services.logger);
  const [rows, duty] = await Promise.all([
    rowsOf(range),
    dutyHours({ ...(range.brigade ? { brigadeCode: range.brigade } : {}), from: range.start, to: range.end }),
  ]);
  return {
    range: { from: range.from, to: range.to, days: range.days.length, brigade: brigade ? { code: brigade.code, name: brigade.name } : null, timeZone: 'Asia/Shanghai' },
    generatedAt: services.clock().toISOString(),
    ...computeFigures({ range, rows, duty, brigades }),
  };
}
