import type { RoadLayerFeatureError } from '../../../typings/api/roads';

/**
 * The upload's problems told road by road, as ops fix them: "features[3]「江门大道」: 经纬度写反了".
 * The line-based issues (road-layer.ts) stay the single record of what failed; this groups them by
 * feature, and rewrites the many per-number coordinate issues of one road into one sentence saying
 * what the coordinates look like (swapped, projected metres, elsewhere in China, abroad).
 */

/** A box around Jiangmen: the layer's bounds (road-layer.ts), passed in to keep one definition. */
export interface Bounds {
  minLng: number;
  maxLng: number;
  minLat: number;
  maxLat: number;
}

/** Mainland China, loosely: tells "elsewhere in China" (a layer of another city) from "abroad / not degrees". */
const CHINA: Bounds = { minLng: 73.4, maxLng: 135.1, minLat: 3.8, maxLat: 53.6 };

/** One problem found, located by its path in the file (`features.3.geometry.coordinates.1.0`). */
export interface PathIssue {
  line: number;
  path: string;
  message: string;
}

const MAX_EXAMPLES = 1;

/**
 * Groups the issues under `features.N` into one entry per road, in file order. `raw` is the parsed
 * file (the features as sent) for the names and the coordinates; `lineOf` locates a feature.
 */
export function groupByFeature(issues: readonly PathIssue[], raw: unknown, bounds: Bounds, lineOf: (index: number) => number): RoadLayerFeatureError[] {
  const features = rawFeatures(raw);
  const byIndex = new Map<number, PathIssue[]>();
  for (const issue of issues) {
    const match = /^features\.(\d+)(?:\.|$)/.exec(issue.path);
    if (!match) continue;
    const index = Number(match[1]);
    byIndex.set(index, [...(byIndex.get(index) ?? []), issue]);
  }
  return [...byIndex.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, found]) => {
      const feature = features?.[index];
      const problems: string[] = [];
      let coordinatesTold = false;
      for (const issue of found) {
        if (isPositionIssue(issue.path, index, feature)) {
          // Every bad number of the road is one issue; one sentence says what they have in common.
          if (!coordinatesTold) problems.push(...describeCoordinates(feature, bounds));
          coordinatesTold = true;
        } else if (!problems.includes(issue.message)) problems.push(issue.message);
      }
      return { index, name: nameOf(feature), line: lineOf(index), problems };
    });
}

function rawFeatures(raw: unknown): unknown[] | null {
  const features = (raw as { features?: unknown } | null)?.features;
  return Array.isArray(features) ? features : null;
}

function nameOf(feature: unknown): string | null {
  const name = (feature as { properties?: { name?: unknown } } | null)?.properties?.name;
  return typeof name === 'string' && name.trim() !== '' ? name.trim().slice(0, 100) : null;
}

function geometryOf(feature: unknown): { type?: unknown; coordinates?: unknown } | null {
  const geometry = (feature as { geometry?: unknown } | null)?.geometry;
  return typeof geometry === 'object' && geometry !== null ? (geometry as { type?: unknown; coordinates?: unknown }) : null;
}

/** An issue about one number or one point (not the line's length or the geometry's type). */
function isPositionIssue(path: string, index: number, feature: unknown): boolean {
  const prefix = `features.${index}.geometry.coordinates.`;
  if (!path.startsWith(prefix)) return false;
  const depth = path.slice(prefix.length).split('.').length;
  // LineString: coordinates.j(.k); MultiLineString: coordinates.m.j(.k).
  return geometryOf(feature)?.type === 'MultiLineString' ? depth >= 2 : depth >= 1;
}

type Kind = 'malformed' | 'swapped' | 'projected' | 'abroad' | 'elsewhere';

const inBox = (x: number, y: number, b: Bounds) => x >= b.minLng && x <= b.maxLng && y >= b.minLat && y <= b.maxLat;

function classify(position: unknown, bounds: Bounds): Kind | null {
  if (!Array.isArray(position) || position.length < 2 || !position.slice(0, 2).every((n) => typeof n === 'number' && Number.isFinite(n))) return 'malformed';
  const [x, y] = position as [number, number];
  if (inBox(x, y, bounds)) return null;
  if (inBox(y, x, bounds)) return 'swapped';
  if (Math.abs(x) > 180 || Math.abs(y) > 90) return 'projected';
  if (inBox(x, y, CHINA)) return 'elsewhere';
  return 'abroad';
}

/** The road's positions as [where, position]: "第 3 个" on a LineString, "第 2 段第 3 个" on a MultiLineString. */
function positions(feature: unknown): [string, unknown][] {
  const geometry = geometryOf(feature);
  if (!geometry || !Array.isArray(geometry.coordinates)) return [];
  if (geometry.type === 'MultiLineString') {
    return geometry.coordinates.flatMap((line, m) => (Array.isArray(line) ? line.map((p, j): [string, unknown] => [`第 ${m + 1} 段第 ${j + 1} 个坐标点`, p]) : []));
  }
  return geometry.coordinates.map((p, j): [string, unknown] => [`第 ${j + 1} 个坐标点`, p]);
}

const show = (position: unknown) => {
  const text = Array.isArray(position) ? `[${position.map((v) => JSON.stringify(v) ?? String(v)).join(', ')}]` : (JSON.stringify(position) ?? String(position));
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
};

/** One sentence per kind of bad coordinate found on the road, with the first example and the count. */
function describeCoordinates(feature: unknown, bounds: Bounds): string[] {
  const found = new Map<Kind, [string, unknown][]>();
  for (const [where, position] of positions(feature)) {
    const kind = classify(position, bounds);
    if (kind) found.set(kind, [...(found.get(kind) ?? []), [where, position]]);
  }
  if (found.size === 0) return ['坐标有误，GeoJSON 坐标应为 [经度, 纬度]（GCJ-02）'];
  const box = `经度 ${bounds.minLng}–${bounds.maxLng}，纬度 ${bounds.minLat}–${bounds.maxLat}`;
  return [...found.entries()].map(([kind, list]) => {
    const examples = list
      .slice(0, MAX_EXAMPLES)
      .map(([where, p]) => `${where} ${show(p)}`)
      .join('、');
    const count = list.length > MAX_EXAMPLES ? ` 等共 ${list.length} 个坐标点` : '';
    switch (kind) {
      case 'malformed':
        return `坐标点格式有误（${examples}${count}）：每个坐标点应为 [经度, 纬度] 两个数字`;
      case 'swapped': {
        const [x, y] = list[0]![1] as [number, number];
        return `经纬度写反了（${examples}${count}）：GeoJSON 坐标应为 [经度, 纬度]，如 [${y}, ${x}]`;
      }
      case 'projected':
        return `坐标不是经纬度（${examples}${count}），像是投影坐标（米）：请转换为 GCJ-02 经纬度后上传`;
      case 'elsewhere':
        return `坐标不在江门市范围内（${examples}${count}；江门约为${box}）：是否上传了其他城市的图层？`;
      case 'abroad':
        return `坐标不在中国境内（${examples}${count}）：GeoJSON 坐标应为 GCJ-02 的 [经度, 纬度]`;
    }
  });
}
