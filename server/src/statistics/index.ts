/**
 * statistics — the ops figures (GET /api/v1/admin/statistics: volumes, outcomes, waits, the 5-minute
 * service level, reviews, insurer hand-offs, arrivals against dispatchers on duty) and one CSV per
 * table, from rollups kept on each case transition and rebuilt from the cases when they drift.
 */

/*
 * Rollups, not an aggregation over `cases`, because of the embedded engine. Measured with a year of
 * demo history (35 k cases, ~3 KB each) on FerretDB-on-PostgreSQL on a 2-core box shared with other
 * work (load 4–14, so the absolute times move; the ratios hold):
 *   - the cases of 30 days read from `cases` (a `reportedAt` range, projected; $match + $group is the
 *     same): 33–68 s, a year 70–80 s. FerretDB pushes no range down, so it decodes every case;
 *   - one small row per case (~300 B): by a range 30 days 32 s; by an equality on its month (pushed
 *     down to the GIN mirror of the index) a month 1.4 s, a year 14–18 s (the cost follows the rows);
 *   - one document per brigade and day with that day's rows packed into one string (~1 KB): a month
 *     35–47 ms, a year 0.5–1 s. FerretDB's cost is per field it decodes, not per byte.
 * The page on the packs (npm run bench, section 7, load ~2): 30 days 118 ms p50 / 215 ms p99, a year
 * 842 / 1151 ms city-wide, 217 / 282 ms for one brigade — ~280× the range over the cases.
 * On MongoDB (not installed here, so not measured) an index on `reportedAt` would make the plain
 * aggregation workable too (a year is ~50 k index-ordered documents); the packs cost it nothing, so
 * one design serves both engines.
 *
 * Counters ($inc per transition) were not an option: FerretDB applies `$inc` as read-then-write (lost
 * increments under concurrency), percentiles need the samples, and a case moving from "open" to
 * "released" would need paired decrements. Instead:
 *   - `case_stats`: a row per case, replaced whole from the case (guarded by its rev, like open_cases),
 *     by a case listener on every state change and on settled insurer hand-offs (not case events);
 *   - `case_stat_days`: per brigade and day, the day's rows packed, rebuilt from them (one equality
 *     read) whenever a row's figures change; a writer re-reads after writing, so racing listeners of
 *     one day converge on the rows as they are;
 *   - `statistics_duty_days`: the staff duty log summed per brigade and finished day (duty-days.ts).
 * Keeping them costs a transition's listeners ~22 ms (p50 15 → 38 ms with the change itself; after the
 * answer, not before it). Everything rebuilds from the cases: the reconcile (stats-reconcile.ts) builds
 * it all on the first run, after a history load or a change of shape (a year: ~90 s, in the
 * background at start-up; a read that comes first waits), and later compares the rows of every case
 * changed since its last run (a listener lost to a crash) — at start-up and every RECONCILE_EVERY_MS.
 * Percentiles are nearest-rank (figures.ts), written out: d3-array's quantile interpolates between
 * samples, and a p90 of whole seconds should be a time some case actually took.
 */
export { listenForStatistics } from './case-stats';
export { RECONCILE_EVERY_MS, reconcileStatistics } from './statistics.service';
export { statisticsRoutes } from './statistics.routes';
