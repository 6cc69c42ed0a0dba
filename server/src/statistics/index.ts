/**
 * statistics — the ops figures (GET /api/v1/admin/statistics: volumes, outcomes, waits, the 5-minute
 * service level, reviews, insurer hand-offs, arrivals against dispatchers on duty) and one CSV per
 * table, from rollups kept on each case transition and rebuilt from the cases when they drift.
 */

/*
 * Rollups, not an aggregation over `cases`, because of the embedded engine. Measured with a year of
 * demo history (35 552 cases, ~3 KB each; FerretDB on PostgreSQL; a 2-core box other work kept at load
 * ~13, so absolute times are pessimistic, ratios are what count):
 *   - aggregating the cases (find by a `reportedAt` range, projected, or $match + $group): 30 days
 *     62 s, a year 70–80 s. FerretDB pushes no range down: it decodes every case to filter it;
 *   - one small row per case (~300 B) read by a range: 30 days 32 s; by an equality on its month
 *     (pushed down to the GIN mirror of the index): a month 1.4 s, a year 14–18 s (∝ rows returned);
 *   - one document per brigade and day holding that day's rows as one packed string (~1 KB): a month
 *     35–47 ms, a year 0.5–1 s (2 500 documents; FerretDB's cost is per field decoded, not per byte).
 * On MongoDB (not installed here, so not measured) an index on `reportedAt` would make the plain
 * aggregation fine too (a year is ~50 k documents read from an index); the packs cost it nothing extra,
 * so one design serves both.
 *
 * Counters ($inc per transition) were not an option: FerretDB applies `$inc` as read-then-write (lost
 * increments under concurrency), percentiles need the samples, and a case moving from "open" to
 * "released" would need paired decrements. Instead:
 *   - `case_stats`: a row per case, replaced whole from the case (guarded by its rev, like open_cases),
 *     by a case listener on every state change and on settled insurer hand-offs (not case events);
 *   - `case_stat_days`: per brigade and day, the day's rows packed, rebuilt from them (one equality
 *     read) whenever a row's figures change; a writer re-reads after writing, so racing listeners of
 *     one day converge on the rows as they are.
 * Both rebuild themselves from the cases: the reconcile (stats-reconcile.ts) builds everything on the
 * first run, after a history load or a change of shape, and later compares the rows of every case
 * changed since its last run (a listener lost to a crash) — at start-up, every RECONCILE_EVERY_MS, and
 * before the first read when nothing was ever built.
 */
export { listenForStatistics } from './case-stats';
export { RECONCILE_EVERY_MS, reconcileStatistics } from './statistics.service';
export { statisticsRoutes } from './statistics.routes';
