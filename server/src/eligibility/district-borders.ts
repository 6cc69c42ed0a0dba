import RBush from 'rbush';
import { metresPerDegree, pointToSegmentMetres } from './road-index';
import type { District } from '../brigades';

interface BorderSegment {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  district: number;
  ax: number;
  ay: number;
  bx: number;
  by: number;
}

/**
 * The districts' outlines as segments in an R-tree, for "is this point within N metres of a district?"
 * Measuring a far point against all ~12 000 border segments costs ~20 ms; the tree answers with the
 * few segments near it, or none.
 */
export function buildBorderIndex(districts: readonly District[]) {
  const segments: BorderSegment[] = [];
  districts.forEach((district, index) => {
    for (const outline of district.outline) {
      const lines = outline.geometry.type === 'LineString' ? [outline.geometry.coordinates] : outline.geometry.coordinates;
      for (const line of lines) {
        for (let i = 1; i < line.length; i++) {
          const [ax, ay] = line[i - 1] as [number, number];
          const [bx, by] = line[i] as [number, number];
          segments.push({ minX: Math.min(ax, bx), minY: Math.min(ay, by), maxX: Math.max(ax, bx), maxY: Math.max(ay, by), district: index, ax, ay, bx, by });
        }
      }
    }
  });
  const tree = new RBush<BorderSegment>();
  tree.load(segments);

  return {
    /** The district whose border is nearest to the point, if within `metres`. */
    nearestWithin(lat: number, lng: number, metres: number): { district: District; metres: number } | null {
      const k = metresPerDegree(lat);
      const dLat = (metres / k.lat) * 1.01;
      const dLng = (metres / k.lng) * 1.01;
      let best: { district: District; metres: number } | null = null;
      for (const s of tree.search({ minX: lng - dLng, minY: lat - dLat, maxX: lng + dLng, maxY: lat + dLat })) {
        const d = pointToSegmentMetres(lat, lng, s.ax, s.ay, s.bx, s.by, k);
        if (d <= metres && (!best || d < best.metres)) best = { district: districts[s.district]!, metres: d };
      }
      return best;
    },
  };
}
