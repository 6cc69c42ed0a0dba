import { DateTime } from 'luxon';
import { caseOutcomeOf, isOnCall, loadCase, type CaseListeners, type CaseOutcome, type CaseSnapshot } from '../cases';
import { handoffSummaries, onHandoffSettled } from '../insurers';
import { isDuplicateKey } from '../platform/database';
import { CaseStat, CaseStatDay } from './case-stat.model';
import { ZONE } from './calendar';
import type { FigureRow } from './figures';

/** Bump when a row's or a pack's shape or meaning changes: the reconcile then rebuilds them all. */
export const CASE_STAT_VERSION = 2;

/** What became of a case so far, in the page's words (StatisticsOutcomes): the lifecycle's groups. */
export function outcomeOf(c: Pick<CaseSnapshot, 'state' | 'failed'>): CaseOutcome {
  return caseOutcomeOf(c.state, (c.failed ?? []).length > 0);
}

export interface HandoffSummary {
  insurerCode: string;
  insurerName: string;
  status: string;
}

/** The row of one case: everything the page counts, with Beijing's calendar keys. */
export function caseStatRow(c: CaseSnapshot, handoffs: readonly HandoffSummary[]) {
  const at = DateTime.fromJSDate(c.reportedAt, { zone: ZONE });
  const outcome = outcomeOf(c);
  const reason = outcome === 'refused' ? (c.failed?.[0]?.code ?? null) : outcome === 'redirected' ? (c.redirect?.reason?.trim() ?? null) : null;
  return {
    _id: c._id,
    rev: c.rev,
    brigadeCode: c.brigadeCode ?? null,
    districtAdcode: c.districtAdcode ?? null,
    districtName: c.districtName ?? '',
    reportedAt: c.reportedAt,
    day: at.toISODate()!,
    hour: at.hour,
    weekday: at.weekday,
    isoWeek: at.toFormat("kkkk-'W'WW"),
    outcome,
    onCall: isOnCall(c.state),
    reason: reason || null,
    waitSeconds: c.answeredAt ? Math.max(0, Math.round((c.answeredAt.getTime() - c.reportedAt.getTime()) / 1000)) : null,
    handlingSeconds: typeof c.handlingSeconds === 'number' ? c.handlingSeconds : null,
    decided: Boolean(c.decision) || Boolean(c.review),
    delivered: Boolean(c.deliveredAt) || Boolean(c.review),
    reviewStatus: c.review?.status ?? null,
    handoffs: handoffs.map(({ insurerCode, insurerName, status }) => ({ insurerCode, insurerName, status })),
  };
}
export type CaseStatRow = ReturnType<typeof caseStatRow>;
type StoredRow = Omit<CaseStatRow, '_id' | 'rev' | 'reportedAt'> & { _id: unknown };

/** A pack's _id: the brigade ('-' for none) and the day. */
export const packId = (brigadeCode: string | null, day: string) => `${brigadeCode ?? '-'}:${day}`;

/** One row as a tuple (a pack holds a day's rows of a brigade; the day and brigade are the pack's). */
function tupleOf(r: StoredRow): unknown[] {
  return [
    String(r._id), r.districtAdcode, r.districtName, r.hour, r.weekday, r.isoWeek, r.outcome, r.onCall ? 1 : 0, r.reason,
    r.waitSeconds, r.handlingSeconds, r.decided ? 1 : 0, r.delivered ? 1 : 0, r.reviewStatus, (r.handoffs ?? []).map((h) => [h.insurerCode, h.insurerName, h.status]),
  ];
}

/** The rows of a pack, back as figure rows. */
export function unpack(pack: { brigadeCode: string | null; day: string; rows: string }): (FigureRow & { caseId: string })[] {
  return (JSON.parse(pack.rows) as unknown[][]).map((t) => ({
    caseId: t[0] as string,
    brigadeCode: pack.brigadeCode,
    day: pack.day,
    districtAdcode: t[1] as string | null,
    districtName: t[2] as string,
    hour: t[3] as number,
    weekday: t[4] as number,
    isoWeek: t[5] as string,
    outcome: t[6] as string,
    onCall: t[7] === 1,
    reason: t[8] as string | null,
    waitSeconds: t[9] as number | null,
    handlingSeconds: t[10] as number | null,
    decided: t[11] === 1,
    delivered: t[12] === 1,
    reviewStatus: t[13] as string | null,
    handoffs: (t[14] as string[][]).map(([insurerCode, insurerName, status]) => ({ insurerCode: insurerCode!, insurerName: insurerName!, status: status! })),
  }));
}

/** A day's rows packed, in _id order (so the same rows always pack to the same text). */
export function packOf(brigadeCode: string | null, day: string, rows: readonly StoredRow[]) {
  const sorted = [...rows].sort((a, b) => (String(a._id) < String(b._id) ? -1 : 1));
  return { _id: packId(brigadeCode, day), brigadeCode, day, month: day.slice(0, 7), count: sorted.length, rows: JSON.stringify(sorted.map(tupleOf)) };
}

/** Whether two rows count the same (rev aside): when they do, the day's pack need not change. */
export const sameFigures = (a: StoredRow, b: StoredRow) => JSON.stringify(tupleOf(a)) === JSON.stringify(tupleOf(b));

/**
 * Rewrites the pack of a brigade's day from its rows. Two listeners of one day may race (each read
 * the rows before the other's row landed): each re-reads after writing and goes again while what it
 * wrote is no longer what the rows say, so the last writer always wrote the rows as they are.
 */
export async function rebuildDay(brigadeCode: string | null, day: string): Promise<void> {
  const read = async () => packOf(brigadeCode, day, (await CaseStat.find({ day, brigadeCode }).lean()) as StoredRow[]);
  let pack = await read();
  for (let attempt = 0; attempt < 5; attempt++) {
    if (pack.count === 0) await CaseStatDay.deleteOne({ _id: pack._id });
    else
      await CaseStatDay.replaceOne({ _id: pack._id }, pack, { upsert: true }).catch((err: unknown) => {
        // Two first writers of a day: the other inserted it; the check below decides.
        if (!isDuplicateKey(err)) throw err;
      });
    const again = await read();
    if (again.rows === pack.rows) return;
    pack = again;
  }
}

/**
 * The brigade-days this process is rebuilding now, and whether a row of theirs changed meanwhile.
 * Under a busy desk every state change of a brigade's day asked for its own rebuild (two reads of
 * the whole day and a write each, measured as the main write-path cost under `npm run load`): now a
 * change that arrives while its day is being rebuilt is folded into one more rebuild after it.
 */
const rebuilding = new Map<string, { again: boolean; done: Promise<void> }>();

/**
 * Rebuilds the day's pack, sharing the rebuild already under way in this process. Resolves once a
 * rebuild that started after the caller's row landed has finished (the pack then holds that row).
 */
export function rebuildDaySoon(brigadeCode: string | null, day: string): Promise<void> {
  const id = packId(brigadeCode, day);
  const running = rebuilding.get(id);
  if (running) {
    // The running rebuild may have read the rows before the caller's row landed: one more after it.
    running.again = true;
    return running.done;
  }
  const entry = { again: true, done: Promise.resolve() };
  entry.done = (async () => {
    let failure: unknown = null;
    try {
      while (entry.again) {
        entry.again = false;
        // A failed rebuild must not cost the changes that arrived meanwhile their own.
        await rebuildDay(brigadeCode, day).then(
          () => void (failure = null),
          (err: unknown) => void (failure = err),
        );
      }
    } finally {
      rebuilding.delete(id);
    }
    if (failure) throw failure;
  })();
  rebuilding.set(id, entry);
  return entry.done;
}

/**
 * Brings one case's row in line with a snapshot of it, then its day's pack if a figure changed.
 * Idempotent and safe out of order: a row is replaced only by one of the same or a later rev.
 */
export async function syncCaseStat(c: CaseSnapshot): Promise<void> {
  if (c.state === 'draft') return;
  // A hand-off needs a delivered certificate: before that there is nothing to look up.
  const handoffs = c.deliveredAt || c.review ? await handoffSummaries(String(c._id)) : [];
  const row = caseStatRow(c, handoffs);
  let before: StoredRow | null;
  try {
    before = (await CaseStat.findOneAndReplace({ _id: c._id, rev: { $lte: c.rev } }, row, { upsert: true, returnDocument: 'before' }).lean()) as StoredRow | null;
  } catch (err) {
    // A newer row is there already: its writer looks after the pack.
    if (isDuplicateKey(err)) return;
    throw err;
  }
  if (before && sameFigures(before, row)) return;
  await rebuildDaySoon(row.brigadeCode, row.day);
}

/** Every state change, and the 复核's acceptance (its status is counted), rewrites the case's row. */
const COUNTED_EVENTS = [
  'submit', 'refuse', 'answer', 'start_collecting', 'release', 'redirect', 'cancel', 'time_out', 'resume', 'dispatcher_dropped',
  'determine', 'deliver', 'request_review', 'review', 'decline_review', 'send_back', 'close', 'review_accepted',
] as const;

/** Hangs the rows' upkeep on the case's events and on settled insurer hand-offs (wired once by the composition root). */
export function listenForStatistics(services: { caseListeners: CaseListeners }): void {
  services.caseListeners.on(COUNTED_EVENTS, 'statistics:case-row', ({ case: c }) => syncCaseStat(c));
  onHandoffSettled('statistics:case-row', async (caseId) => syncCaseStat(await loadCase(caseId, { repair: false })));
}
