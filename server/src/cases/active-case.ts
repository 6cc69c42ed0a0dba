import { loadCase } from './case-revisions';
import { ACTIVE_STATES, isActive } from './case.model';
import { OpenCase } from './open-case.model';

/**
 * The driver's case at the scene (queued, on a call, collecting), if any. The projection says who is
 * busy, but the case decides: a row left behind by a crash (the case finished, its row not yet
 * dropped) would otherwise refuse the driver every new report. Reading the case repairs the row.
 */
export async function activeCaseOf(driverId: string, exceptCaseId?: string) {
  const rows = await OpenCase.find({ driverIds: driverId, state: { $in: [...ACTIVE_STATES] } }, { _id: 1 }).lean();
  for (const row of rows) {
    if (String(row._id) === exceptCaseId) continue;
    const c = await loadCase(row._id);
    if (isActive(c.state) && c.parties.some((p) => String(p.driverId) === driverId)) return row;
  }
  return null;
}
