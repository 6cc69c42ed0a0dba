/**
 * Writes a generated history (history-model.ts) into the database in bulk: unordered insertMany in
 * batches, a few at once, with progress. A second load replaces the first (its cases, their events,
 * hand-offs and open_cases rows, and the generated dispatchers' duty hours) instead of doubling it.
 * The statistics rows are then rebuilt from all the cases.
 */
import { Types } from 'mongoose';
import { Case } from '../../server/src/cases/case.model';
import { CaseEvent } from '../../server/src/cases/case-event.model';
import { OpenCase } from '../../server/src/cases/open-case.model';
import { syncOpenCase } from '../../server/src/cases/open-cases';
import type { CaseSnapshot } from '../../server/src/cases/case-revisions';
import { Handoff } from '../../server/src/insurers/handoff.model';
import { StaffDutyHour } from '../../server/src/staff';
import { StatsState } from '../../server/src/statistics/case-stat.model';
import { HISTORY_KEY_PREFIX, HISTORY_STAFF_PREFIX, type GeneratedHistory } from './history-model';

const BATCH = 2_000;
const AT_ONCE = 3;

type Progress = (line: string) => void;

/** Removes an earlier load: every generated case (by its key), what hangs on it, and the generated duty hours. */
export async function clearHistory(progress: Progress = () => undefined): Promise<number> {
  const ids = (await Case.find({ idempotencyKey: { $regex: `^${HISTORY_KEY_PREFIX}` } }, { _id: 1 }).lean()).map((c) => c._id);
  for (let i = 0; i < ids.length; i += BATCH) {
    const chunk = ids.slice(i, i + BATCH);
    await Promise.all([CaseEvent.deleteMany({ caseId: { $in: chunk } }), Handoff.deleteMany({ caseId: { $in: chunk } }), OpenCase.deleteMany({ _id: { $in: chunk } })]);
    await Case.deleteMany({ _id: { $in: chunk } });
  }
  const staffIds = Array.from({ length: 7 * 20 }, (_, i) => new Types.ObjectId(`${HISTORY_STAFF_PREFIX}${String(Math.floor(i / 20)).padStart(4, '0')}${String(i % 20).padStart(12, '0')}`));
  await StaffDutyHour.deleteMany({ staffId: { $in: staffIds } });
  if (ids.length) progress(`removed ${ids.length} cases of an earlier history`);
  return ids.length;
}

/** Inserts every document of the history; abandoned cases also get the open_cases row the app keeps for them. */
export async function loadHistory(history: GeneratedHistory, progress: Progress = () => undefined): Promise<void> {
  const collections = [
    ['cases', Case.collection, history.cases],
    ['case events', CaseEvent.collection, history.events],
    ['insurer hand-offs', Handoff.collection, history.handoffs],
    ['duty hours', StaffDutyHour.collection, history.dutyHours],
  ] as const;
  for (const [name, collection, docs] of collections) {
    const started = Date.now();
    let done = 0;
    const batches = Array.from({ length: Math.ceil(docs.length / BATCH) }, (_, i) => docs.slice(i * BATCH, (i + 1) * BATCH));
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        await (collection as typeof Case.collection).insertMany(batch as never[], { ordered: false });
        done += batch.length;
        progress(`  ${name}: ${done}/${docs.length}`);
      }
    };
    await Promise.all(Array.from({ length: AT_ONCE }, worker));
    progress(`${name}: ${docs.length} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  // Parked cases stay resumable in the app's eyes: they are open, so open_cases holds them.
  for (const c of history.cases.filter((d) => d.state === 'abandoned')) await syncOpenCase(c as CaseSnapshot);
  // The history went in beside the app, not through it: the statistics rows are rebuilt from the cases
  // (by the server's next reconcile, or its next statistics read).
  await StatsState.deleteMany({});
}
