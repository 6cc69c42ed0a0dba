import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { point } from '@turf/helpers';
import bbox from '@turf/bbox';
import gcoord from 'gcoord';
import type { RuleVerdict } from '../../../typings/api/eligibility';
import { buildBorderIndex } from './district-borders';
import { DISTRICTS, type District } from '../brigades';

/**
 * Rule: the accident is inside Jiangmen, and its district decides the brigade. Coordinates come as
 * GCJ-02 from wx.getLocation({ type: 'gcj02' }); WGS-84 is accepted, flagged, and converted. The
 * district outlines are coarse (~100 m), so a point just outside every district but within
 * BORDER_TOLERANCE_M of one is routed to the nearest instead of refused.
 */
export const BORDER_TOLERANCE_M = 150;

export interface PlaceInput {
  lat: number;
  lng: number;
  coordType: 'gcj02' | 'wgs84';
}

export interface PlaceVerdict extends RuleVerdict {
  district: { adcode: string; name: string } | null;
  /** GCJ-02, after conversion. */
  point: { lat: number; lng: number };
  /** Routed by the nearest district, not by containment. */
  nearBorder: boolean;
  convertedFromWgs84: boolean;
}

const BORDERS = buildBorderIndex(DISTRICTS);
/** Each district's bounding box: most points are ruled out without the full polygon test. */
const BOXES = DISTRICTS.map((d) => bbox(d.area));
const inBox = (i: number, lng: number, lat: number) => {
  const [minX, minY, maxX, maxY] = BOXES[i]!;
  return lng >= minX! && lng <= maxX! && lat >= minY! && lat <= maxY!;
};

/** The phone's fix in GCJ-02, the datum of the district outlines, the road layer and the map service. */
export function toGcj02(input: PlaceInput): { lat: number; lng: number } {
  if (input.coordType !== 'wgs84') return { lat: input.lat, lng: input.lng };
  const [lng, lat] = gcoord.transform([input.lng, input.lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
  return { lat, lng };
}

export function checkPlace(input: PlaceInput): PlaceVerdict {
  const { lat, lng } = toGcj02(input);
  const here = point([lng, lat]);
  const base = { point: { lat, lng }, convertedFromWgs84: input.coordType === 'wgs84' };

  const inside = DISTRICTS.find((d, i) => inBox(i, lng, lat) && booleanPointInPolygon(here, d.area));
  if (inside) return { ...base, ok: true, code: 'IN_AREA', reason: `事故地点在${inside.name}`, alternatives: [], district: pick(inside), nearBorder: false };

  const nearest = BORDERS.nearestWithin(lat, lng, BORDER_TOLERANCE_M);
  if (nearest) {
    return { ...base, ok: true, code: 'NEAR_BORDER', reason: `事故地点在${nearest.district.name}边界附近，按${nearest.district.name}处理`, alternatives: [], district: pick(nearest.district), nearBorder: true };
  }
  return {
    ...base,
    ok: false,
    code: 'OUTSIDE_AREA',
    reason: '事故地点不在江门市视频快处服务范围内，请拨打 122 或使用当地的事故快处方式',
    alternatives: ['call_122', 'photo_quick_handling', 'self_settlement'],
    district: null,
    nearBorder: false,
  };
}

const pick = (d: District) => ({ adcode: d.adcode, name: d.name });
