import distance from '@turf/distance';
import { point } from '@turf/helpers';

export interface Queued {
  _id: unknown;
  queuedAt?: Date | null;
  reportedAt: Date;
  requeued?: boolean | null;
  location?: { lat?: number | null; lng?: number | null } | null;
}

/**
 * Queue order: oldest first, with ageing. Each case's priority is how long it has waited; a case back
 * from a dropped call ranks as if it had waited `requeueBonusSeconds` longer (those parties already
 * stood through one call). Because every waiting case gains priority at the same rate, a newer case
 * with a bonus can pass an older one by at most the bonus: nobody starves.
 */
export function rankQueue<T extends Queued>(cases: T[], now: Date, requeueBonusSeconds: number): T[] {
  const priority = (c: T) => waitedSeconds(c, now) + (c.requeued ? requeueBonusSeconds : 0);
  return [...cases].sort((a, b) => priority(b) - priority(a) || a.reportedAt.getTime() - b.reportedAt.getTime());
}

export function waitedSeconds(c: Queued, now: Date): number {
  return Math.max(0, Math.round((now.getTime() - (c.queuedAt ?? c.reportedAt).getTime()) / 1000));
}

/** For each case, the other cases within `radiusM`: the same scene reported twice, or a pile-up. */
export function nearbyPairs<T extends Queued>(cases: T[], radiusM: number): Map<T, { c: T; metres: number }[]> {
  const located = cases.filter((c) => c.location?.lat != null && c.location?.lng != null);
  const result = new Map<T, { c: T; metres: number }[]>(cases.map((c) => [c, []]));
  // A brigade's queue is tens of cases at most: all pairs is fine here.
  for (let i = 0; i < located.length; i++) {
    for (let j = i + 1; j < located.length; j++) {
      const a = located[i]!;
      const b = located[j]!;
      const metres = distance(point([a.location!.lng!, a.location!.lat!]), point([b.location!.lng!, b.location!.lat!]), { units: 'meters' });
      if (metres <= radiusM) {
        result.get(a)!.push({ c: b, metres });
        result.get(b)!.push({ c: a, metres });
      }
    }
  }
  return result;
}
