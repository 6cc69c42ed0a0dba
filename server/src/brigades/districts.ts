import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Feature, FeatureCollection, LineString, MultiLineString, MultiPolygon, Polygon } from 'geojson';
import polygonToLine from '@turf/polygon-to-line';
import { REPO_ROOT } from '../platform/paths';

export interface District {
  adcode: string;
  name: string;
  area: Feature<Polygon | MultiPolygon>;
  /** The boundary as lines, for distance-to-border checks. */
  outline: Feature<LineString | MultiLineString>[];
}

/** Jiangmen's seven districts (GCJ-02), read once: server/data/jiangmen-districts.geojson and its README. */
export const DISTRICTS: readonly District[] = (() => {
  const collection = JSON.parse(readFileSync(join(REPO_ROOT, 'server/data/jiangmen-districts.geojson'), 'utf8')) as FeatureCollection<Polygon | MultiPolygon, { adcode: string; name: string }>;
  return collection.features.map((area) => {
    const lines = polygonToLine(area);
    const outline = (lines.type === 'FeatureCollection' ? lines.features : [lines]) as Feature<LineString | MultiLineString>[];
    return { adcode: area.properties.adcode, name: area.properties.name, area, outline };
  });
})();
