import { AppError } from '../platform/errors';
import { loadCase } from './case-revisions';
import { Case, OPEN_STATES } from './case.model';
import { OpenCase } from './open-case.model';
import { repairOpenCase } from './open-cases';

/**
 * Start-up and periodic sweep for drift the reads have not met yet: every case that should have a row
 * (open, or a draft whose next event was claimed but not applied) and every row there is, each brought
 * in line with its case. A queued case whose row was lost is visible to dispatchers again within one
 * sweep even if no phone asks for it. Idempotent; safe on every instance at once.
 */
export async function reconcileOpenCases(): Promise<{ checked: number; repaired: string[] }> {
  // One equality query per state: FerretDB pushes `state = x` down to its index, while a `$in` would
  // read every case ever stored, every minute.
  const [rows, ...perState] = await Promise.all([
    OpenCase.find({}, { _id: 1 }).lean(),
    ...([...OPEN_STATES, 'draft'] as const).map((state) => Case.find({ state }, { _id: 1 }).lean()),
  ]);
  const ids = [...new Set([...rows, ...perState.flat()].map((d) => String(d._id)))];
  const repaired: string[] = [];
  for (const id of ids) {
    // loadCase finishes an event whose writer died before applying it; the row follows the result.
    const snapshot = await loadCase(id, { repair: false }).catch((err: unknown) => {
      if (err instanceof AppError && err.status === 404) return null;
      throw err;
    });
    if (!snapshot) {
      // A row whose case does not exist (deleted by hand): nothing can ever clear it otherwise.
      const gone = await OpenCase.deleteOne({ _id: id });
      if (gone.deletedCount) repaired.push(id);
      continue;
    }
    if (await repairOpenCase(snapshot)) repaired.push(id);
  }
  return { checked: ids.length, repaired };
}
