import distance from '@turf/distance';
import { point } from '@turf/helpers';
import type { NearbyOpenCase } from '../../../typings/api/eligibility';
import type { CaseServices } from './case-services';
import { ACTIVE_STATES } from './lifecycle';
import { OpenCase } from './open-case.model';

/**
 * Open cases reported close by and recently: most likely the other party already reported this accident.
 * Only how far, how long ago and how many: nothing to join by (no id) — joining takes the code from a
 * party's phone, since anyone standing near the scene gets this answer.
 */
export async function nearbyOpenCases(services: CaseServices, here: { lat: number; lng: number }, now: Date, driverId: string | null): Promise<NearbyOpenCase[]> {
  const { DUPLICATE_RADIUS_M, DUPLICATE_WINDOW_SECONDS } = services.config;
  const recent = await OpenCase.find(
    { state: { $in: [...ACTIVE_STATES] }, reportedAt: { $gte: new Date(now.getTime() - DUPLICATE_WINDOW_SECONDS * 1000) } },
    { location: 1, reportedAt: 1, vehicleCount: 1, driverIds: 1 },
  )
    .limit(500)
    .lean();
  const origin = point([here.lng, here.lat]);
  return recent
    .filter((c) => !driverId || !c.driverIds.some((id) => String(id) === driverId))
    // A case written without a place (an import, an older version) is near nothing.
    .flatMap((c) => (c.location?.lat != null && c.location?.lng != null ? [{ c, at: { lat: c.location.lat, lng: c.location.lng } }] : []))
    .map(({ c, at }) => ({ c, metres: distance(origin, point([at.lng, at.lat]), { units: 'meters' }) }))
    .filter(({ metres }) => metres <= DUPLICATE_RADIUS_M)
    .sort((a, b) => a.metres - b.metres)
    .map(({ c, metres }) => ({
      distanceM: Math.round(metres),
      createdAt: c.reportedAt.toISOString(),
      vehicleCount: c.vehicleCount ?? 0,
      partyCount: c.driverIds.length,
    }));
}
