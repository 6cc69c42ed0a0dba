import buffer from '@turf/buffer';
import simplify from '@turf/simplify';
import truncate from '@turf/truncate';
import type { Feature, LineString, MultiLineString, MultiPolygon, Polygon } from 'geojson';
import type { RoadLayerPreview } from '../../../typings/api/roads';
import { brigadeForDistrict, DISTRICTS } from '../brigades';
import { currentRoadLayer } from './road-layer.service';

/**
 * The ops map's layers: the district outlines with their brigades, the excluded roads, and each
 * road's buffer at the distance the rule uses. Simplified for drawing only (the rules measure on the
 * full lines): districts to ~70 m (under a pixel when the whole city is in view), roads and buffers
 * to ~2 m, six decimals (~0.1 m) — the 12 500 outline points become under 5 000.
 */
const DISTRICT_TOLERANCE_DEG = 0.0007;
const ROAD_TOLERANCE_DEG = 0.00002;

type Outline = Feature<Polygon | MultiPolygon, { adcode: string; name: string }>;

let outlines: Outline[] | null = null;
/** The outlines never change while the process runs: simplified once. */
function districtOutlines(): Outline[] {
  outlines ??= DISTRICTS.map((d) => {
    const drawn = truncate(simplify(d.area, { tolerance: DISTRICT_TOLERANCE_DEG, highQuality: true }), { precision: 5, coordinates: 2 });
    return { type: 'Feature', properties: { adcode: d.adcode, name: d.name }, geometry: drawn.geometry };
  });
  return outlines;
}

type RoadLayers = Pick<RoadLayerPreview, 'roads' | 'buffers'>;
/** Buffering a few thousand points takes a while: done once per layer version and buffer. */
let drawnRoads: { key: string; layers: RoadLayers } | null = null;

export async function roadLayerPreview(bufferM: number): Promise<Omit<RoadLayerPreview, 'cases'>> {
  const [{ features, summary }, brigades] = await Promise.all([currentRoadLayer(bufferM), Promise.all(DISTRICTS.map((d) => brigadeForDistrict(d.adcode)))]);

  const key = `${summary.version}:${bufferM}`;
  if (drawnRoads?.key !== key) {
    const roads: RoadLayers['roads'] = {
      type: 'FeatureCollection',
      features: features.map((f) => ({
        type: 'Feature',
        properties: { name: f.properties.name, class: f.properties.class },
        geometry: truncate(simplify(f.geometry, { tolerance: ROAD_TOLERANCE_DEG }), { precision: 6, coordinates: 2 }) as LineString | MultiLineString,
      })),
    };
    const buffers: RoadLayers['buffers'] = {
      type: 'FeatureCollection',
      // Buffered from the full line, so the shaded band is the one the rule measures.
      features: features.flatMap((f) => {
        const band = buffer(f, bufferM, { units: 'meters', steps: 4 });
        if (!band) return [];
        const drawn = truncate(simplify(band, { tolerance: ROAD_TOLERANCE_DEG }), { precision: 6, coordinates: 2 });
        return [{ type: 'Feature' as const, properties: { name: f.properties.name, bufferM }, geometry: drawn.geometry }];
      }),
    };
    drawnRoads = { key, layers: { roads, buffers } };
  }

  const districts: RoadLayerPreview['districts'] = {
    type: 'FeatureCollection',
    features: districtOutlines().map((o, i) => ({
      ...o,
      properties: { ...o.properties, brigadeCode: brigades[i]?.code ?? null, brigadeName: brigades[i]?.name ?? null },
    })),
  };
  return { layer: summary, districts, ...drawnRoads.layers };
}
