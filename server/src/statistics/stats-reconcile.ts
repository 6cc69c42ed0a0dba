import { casesChangedSince, loadCase, type CaseSnapshot } from '../cases';
import { handoffSummaries } from '../insurers';
import { isDuplicateKey } from '../platform/database';
import { insertNew, UNORDERED } from './bulk';
import { CaseStat, CaseStatDay, StatsState } from './case-stat.model';
import { forgetDuty, summarizeDuty } from './duty-days';
import { CASE_STAT_VERSION, caseStatRow, packId, packOf, rebuildDay, sameFigures, type CaseStatRow, type HandoffSummary } from './case-stats';

const STATE_ID = 'case_stats';
/** Changes this close before the last run are looked at again (clocks of several instances differ a little). */
const OVERLAP_MS = 5 * 60_000;
const BATCH = 1000;

/** The case fields a row is built from: the reconcile reads only these. */
const ROW_SOURCE_FIELDS = {
  _id: 1, rev: 1, state: 1, failed: 1, brigadeCode: 1, districtAdcode: 1, districtName: 1, reportedAt: 1,
  answeredAt: 1, handlingSeconds: 1, 'redirect.reason': 1, 'decision.decidedAt': 1, deliveredAt: 1, 'review.status': 1,
} as const;

export interface ReconcileResult {
  full: boolean;
  checked: number;
  repaired: number;
  days: number;
}

/**
 * The repair, and the first build: rows for every case changed since the last run (every case on the
 * first run, or when the row shape changed) and every case whose insurer hand-offs changed, compared
 * with what is stored and rewritten where they differ (a listener lost to a crash, a failed write, rows
 * deleted by hand); then the packs of every day that changed. The mark moves to when this run began,
 * so a change made during it is looked at again next time. Idempotent; any instance may run it.
 */
export async function reconcileCaseStats(): Promise<ReconcileResult> {
  const startedAt = new Date();
  const state = await StatsState.findById(STATE_ID).lean();
  const full = !state || state.version !== CASE_STAT_VERSION;
  const since = full ? null : new Date(state.syncedThrough.getTime() - OVERLAP_MS);

  // Hand-offs are not case events: read them all once (one pass), by case.
  const handoffs = new Map<string, HandoffSummary[]>();
  const handoffChanged = new Set<string>();
  for (const h of await handoffSummaries()) {
    handoffs.set(h.caseId, [...(handoffs.get(h.caseId) ?? []), h]);
    if (since && h.updatedAt >= since) handoffChanged.add(h.caseId);
  }
  const rowOf = (c: CaseSnapshot) => caseStatRow(c, handoffs.get(String(c._id)) ?? []);

  if (full) {
    const built = await rebuildAll(rowOf, startedAt);
    await forgetDuty();
    await mark(startedAt, await summarizeDuty(null, startedAt));
    return { full, ...built };
  }

  let checked = 0;
  let repaired = 0;
  const days = new Map<string, { brigadeCode: string | null; day: string }>();
  const seen = new Set<string>();
  const check = async (batch: CaseSnapshot[]) => {
    const stored = await Promise.all(batch.map((c) => CaseStat.findById(c._id).lean()));
    const stale = batch.map(rowOf).filter((row, i) => !stored[i] || stored[i]!.rev < row.rev || !sameFigures(stored[i] as never, row));
    await writeRows(stale);
    for (const row of stale) days.set(packId(row.brigadeCode, row.day), { brigadeCode: row.brigadeCode, day: row.day });
    checked += batch.length;
    repaired += stale.length;
  };
  let batch: CaseSnapshot[] = [];
  for await (const c of casesChangedSince(since, ROW_SOURCE_FIELDS)) {
    if (c.state === 'draft') continue;
    seen.add(String(c._id));
    batch.push(c);
    if (batch.length >= BATCH) await check(batch.splice(0));
  }
  // Cases whose hand-offs moved on while the case itself did not.
  for (const id of handoffChanged) {
    if (seen.has(id)) continue;
    const c = await loadCase(id, { repair: false }).catch(() => null);
    if (c && c.state !== 'draft') batch.push(c);
    if (batch.length >= BATCH) await check(batch.splice(0));
  }
  if (batch.length > 0) await check(batch);
  for (const { brigadeCode, day } of days.values()) await rebuildDay(brigadeCode, day);
  await mark(startedAt, await summarizeDuty(state.dutyThrough ?? null, startedAt));
  return { full, checked, repaired, days: days.size };
}

/** Rows guarded by rev (a listener's newer row stays), unordered, in one round trip per batch. */
async function writeRows(rows: CaseStatRow[]) {
  if (rows.length === 0) return;
  await CaseStat.bulkWrite(
    rows.map((row) => ({ replaceOne: { filter: { _id: row._id, rev: { $lte: row.rev } }, replacement: row, upsert: true } })),
    { ordered: false },
  ).catch((err: unknown) => {
    if (!isDuplicateKey(err)) throw err;
  });
}


/** From scratch: every row and pack dropped and written again from the cases (first start, a new shape, a reloaded history). */
async function rebuildAll(rowOf: (c: CaseSnapshot) => CaseStatRow, startedAt: Date) {
  await Promise.all([CaseStat.deleteMany({}), CaseStatDay.deleteMany({})]);
  const byDay = new Map<string, CaseStatRow[]>();
  let batch: CaseStatRow[] = [];
  let checked = 0;
  for await (const c of casesChangedSince(null, ROW_SOURCE_FIELDS)) {
    if (c.state === 'draft') continue;
    const row = rowOf(c);
    batch.push(row);
    const key = packId(row.brigadeCode, row.day);
    const day = byDay.get(key);
    if (day) day.push(row);
    else byDay.set(key, [row]);
    if (batch.length >= BATCH) await insertNew(batch.splice(0), (chunk) => CaseStat.insertMany(chunk, UNORDERED));
    checked++;
  }
  await insertNew(batch, (chunk) => CaseStat.insertMany(chunk, UNORDERED));
  const packs = [...byDay.values()].map((rows) => packOf(rows[0]!.brigadeCode, rows[0]!.day, rows));
  await insertNew(packs, (chunk) => CaseStatDay.insertMany(chunk, UNORDERED));
  // A listener that wrote a newer row meanwhile may have had its pack overwritten here: those days again.
  for await (const c of casesChangedSince(new Date(startedAt.getTime() - OVERLAP_MS), ROW_SOURCE_FIELDS)) {
    if (c.state !== 'draft') await rebuildDay(c.brigadeCode ?? null, rowOf(c).day);
  }
  return { checked, repaired: checked, days: packs.length };
}

async function mark(startedAt: Date, dutyThrough: string | null) {
  await StatsState.updateOne({ _id: STATE_ID }, { $set: { version: CASE_STAT_VERSION, syncedThrough: startedAt, dutyThrough } }, { upsert: true }).catch((err: unknown) => {
    if (!isDuplicateKey(err)) throw err;
  });
}

/** How far the rollups follow the cases and the duty log (null: never built, or built in an older shape). */
export async function statsState(): Promise<{ syncedThrough: Date; dutyThrough: string | null } | null> {
  const state = await StatsState.findById(STATE_ID).lean();
  return state && state.version === CASE_STAT_VERSION ? { syncedThrough: state.syncedThrough, dutyThrough: state.dutyThrough ?? null } : null;
}
