import type { DriverCaseView } from '../../../typings/api/cases';
import type { FailedVerdict, ResolvedPlace } from '../../../typings/api/eligibility';
import { findBrigade } from '../brigades';
import type { CaseServices } from './case-services';
import type { CaseSnapshot } from './case-revisions';
import { isActive } from './case.model';
import { placeLabel } from './place-label';
import { waitEstimateFor } from './queue.service';

/** While waiting the position moves; on a call things change by the minute; afterwards nothing is expected. */
const REFRESH_SECONDS: Partial<Record<string, number>> = { draft: 2, queued: 5, in_call: 5, collecting: 5, abandoned: 30 };

export function joinCodeOpen(c: CaseSnapshot, now: Date): boolean {
  return isActive(c.state) && c.joinCodeExpiresAt.getTime() > now.getTime() && c.parties.length < 3;
}

type BrigadeDoc = { code: string; name: string; dutyPhone?: string | null };

/** Where the case is, as every view shows it. */
export function casePlace(c: CaseSnapshot, brigade: BrigadeDoc | null): ResolvedPlace {
  return {
    lat: c.location?.lat ?? 0,
    lng: c.location?.lng ?? 0,
    address: placeLabel(c),
    district: c.districtAdcode ? { adcode: c.districtAdcode, name: c.districtName ?? '' } : null,
    brigade: brigade ? { code: brigade.code, name: brigade.name, dutyPhone: brigade.dutyPhone ?? null } : null,
    nearBorder: Boolean(c.nearBorder),
    convertedFromWgs84: c.location?.reportedAs === 'wgs84',
  };
}

/** The case as a party sees it: their own view of the queue, never another party's identity. */
export async function toDriverCaseView(services: CaseServices, c: CaseSnapshot, viewerId: string): Promise<DriverCaseView> {
  const now = services.clock();
  const [brigade, wait] = await Promise.all([
    c.brigadeCode ? findBrigade(c.brigadeCode) : null,
    c.state === 'queued' && c.brigadeCode ? waitEstimateFor(services, String(c._id), c.brigadeCode) : null,
  ]);
  const codeOpen = joinCodeOpen(c, now);
  return {
    caseId: String(c._id),
    state: c.state,
    createdAt: c.reportedAt.toISOString(),
    place: casePlace(c, brigade),
    parties: c.parties.map((p) => ({ label: p.label, plate: p.plate, joinedAt: p.joinedAt.toISOString(), isMe: String(p.driverId) === viewerId })),
    vehicleCount: c.vehicleCount ?? 0,
    joinCode: codeOpen ? c.joinCode : null,
    joinCodeExpiresAt: codeOpen ? c.joinCodeExpiresAt.toISOString() : null,
    wait,
    failed: (c.failed ?? []) as FailedVerdict[],
    refreshAfterSeconds: REFRESH_SECONDS[c.state] ?? null,
  };
}
