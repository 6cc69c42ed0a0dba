import RBush from 'rbush';
import type { RoadClass, RoadFeature } from './road-layer';

/** The excluded road closest to a point, within the distance asked for. */
export interface RoadHit {
  name: string;
  class: RoadClass;
  /** Shortest distance from the point to the road's centre line, in metres. */
  distanceM: number;
}

export interface RoadIndex {
  readonly roadCount: number;
  readonly segmentCount: number;
  /** The nearest excluded road within `metres` (inclusive) of a GCJ-02 point, or null. */
  nearestWithin(lat: number, lng: number, metres: number): RoadHit | null;
}

/** One straight piece of a road, boxed for the tree; coordinates in degrees [lng, lat]. */
interface Segment {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  road: number;
  ax: number;
  ay: number;
  bx: number;
  by: number;
}

// WGS-84 ellipsoid. GCJ-02 is WGS-84 shifted by a slowly varying offset, so local distances carry over.
const A = 6_378_137;
const E2 = 0.006_694_379_990_14;
const RAD = Math.PI / 180;

/** Metres per degree of latitude and of longitude at a latitude (meridional and prime-vertical radii). */
export function metresPerDegree(lat: number): { lat: number; lng: number } {
  const s = Math.sin(lat * RAD);
  const w = 1 - E2 * s * s;
  return { lat: ((A * (1 - E2)) / (w * Math.sqrt(w))) * RAD, lng: (A / Math.sqrt(w)) * Math.cos(lat * RAD) * RAD };
}

/**
 * Distance in metres from a point to the segment a–b (all [lng, lat] degrees). GeoJSON lines are
 * straight in lng/lat (RFC 7946 §3.1.1), so a linear scaling of lng/lat around the point keeps the
 * segment straight and measures exactly where it matters: near the point, within the buffer.
 */
export function pointToSegmentMetres(lat: number, lng: number, ax: number, ay: number, bx: number, by: number, k = metresPerDegree(lat)): number {
  const x1 = (ax - lng) * k.lng;
  const y1 = (ay - lat) * k.lat;
  const dx = (bx - ax) * k.lng;
  const dy = (by - ay) * k.lat;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.min(1, Math.max(0, -(x1 * dx + y1 * dy) / len2));
  return Math.hypot(x1 + t * dx, y1 + t * dy);
}

/**
 * Builds the spatial index: every segment's bounding box in an R-tree (rbush, bulk-loaded), so a query
 * looks only at the few segments whose box meets a box of ±metres around the point, then measures
 * those exactly. The buffer is applied to the query box rather than baked into the segment boxes, so
 * one index serves any ROAD_BUFFER_M without a rebuild (box overlap is symmetric: same candidates).
 */
export function buildRoadIndex(collection: { readonly features: readonly RoadFeature[] }): RoadIndex {
  const roads = collection.features.map((f) => ({ name: f.properties.name, class: f.properties.class }));
  const segments: Segment[] = [];
  collection.features.forEach((feature, road) => {
    const lines = feature.geometry.type === 'LineString' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
    for (const line of lines) {
      for (let i = 1; i < line.length; i++) {
        const [ax, ay] = line[i - 1]! as [number, number];
        const [bx, by] = line[i]! as [number, number];
        segments.push({ minX: Math.min(ax, bx), minY: Math.min(ay, by), maxX: Math.max(ax, bx), maxY: Math.max(ay, by), road, ax, ay, bx, by });
      }
    }
  });
  const tree = new RBush<Segment>();
  tree.load(segments);

  return {
    roadCount: roads.length,
    segmentCount: segments.length,
    nearestWithin(lat, lng, metres) {
      if (!Number.isFinite(lat) || !Number.isFinite(lng) || !(metres >= 0)) return null;
      const k = metresPerDegree(lat);
      // 1 % slack: the scale changes slightly across the box; the exact distance below decides.
      const dLat = (metres / k.lat) * 1.01;
      const dLng = (metres / k.lng) * 1.01;
      let best: Segment | null = null;
      let bestM = Infinity;
      for (const s of tree.search({ minX: lng - dLng, minY: lat - dLat, maxX: lng + dLng, maxY: lat + dLat })) {
        const d = pointToSegmentMetres(lat, lng, s.ax, s.ay, s.bx, s.by, k);
        if (d < bestM) {
          bestM = d;
          best = s;
        }
      }
      if (!best || bestM > metres) return null;
      const road = roads[best.road]!;
      return { name: road.name, class: road.class, distanceM: bestM };
    },
  };
}
