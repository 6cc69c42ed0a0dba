/**
 * Where a case is, in words, for every view: the reverse geocoder's address, or — when it had none
 * (no address for the point, or down when the case was reported) — the district from our own outlines
 * and the GCJ-02 point, so a located case never reads as unlocated.
 */
export function placeLabel(c: { address?: string | null; districtName?: string | null; location?: { lat?: number | null; lng?: number | null } | null }): string {
  if (c.address) return c.address;
  const { lat, lng } = c.location ?? {};
  return typeof lat === 'number' && typeof lng === 'number' ? `${c.districtName ?? ''}（${lat.toFixed(5)}, ${lng.toFixed(5)}）` : (c.districtName ?? '');
}
