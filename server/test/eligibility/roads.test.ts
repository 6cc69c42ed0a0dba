import destination from '@turf/destination';
import { lineString, point } from '@turf/helpers';
import pointToLineDistance from '@turf/point-to-line-distance';
import { loadConfig } from '../../src/config';
import { buildRoadIndex, metresPerDegree, pointToSegmentMetres, type RoadIndex } from '../../src/eligibility/road-index';
import type { RoadFeature } from '../../src/eligibility/road-layer';
import { demoRoadLayer } from '../../src/eligibility/road-layer.service';
import { checkRoads, DEFAULT_EXCLUDED_NAME_PATTERNS, type RoadCheckInput } from '../../src/eligibility/roads';

const OPTIONS = { bufferM: 30, excludedNamePatterns: DEFAULT_EXCLUDED_NAME_PATTERNS };
// 蓬江区's centre: ~500 m from the demo 江门大道, nowhere near the demo expressway.
const ORDINARY = { lat: 22.595149, lng: 113.078521 };

/** A seeded generator, so a failure can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A point `metres` from (lat, lng) on a bearing, by turf (spherical): independent of the index's own maths. */
function offset(lat: number, lng: number, bearing: number, metres: number) {
  const [x, y] = destination(point([lng, lat]), metres, bearing, { units: 'meters' }).geometry.coordinates as [number, number];
  return { lat: y, lng: x };
}

describe('excluded roads: the rule on the shipped (illustrative) demo layer', () => {
  const layer = demoRoadLayer();
  const index = buildRoadIndex(layer);
  const at = (p: { lat: number; lng: number }, street: string | null = null, address: string | null = null) => checkRoads({ ...p, street, address }, index, OPTIONS);

  it('ships a layer that says it is illustrative, with 江门大道 and an expressway', () => {
    expect(layer.illustrative).toBe(true);
    expect(layer.note).toMatch(/示意数据/);
    expect(layer.features.map((f) => [f.properties.name, f.properties.class])).toEqual([
      ['江门大道', 'excluded_road'],
      ['沈海高速', 'expressway'],
    ]);
    expect(layer.features.every((f) => f.properties.illustrative === true && /示意数据，非真实路网/.test(f.properties.note ?? ''))).toBe(true);
  });

  it('refuses a point on 江门大道 from the layer, naming the road and sending the driver to 122', () => {
    const verdict = at({ lat: 22.579, lng: 113.0815 });
    expect(verdict).toMatchObject({ ok: false, code: 'ON_EXCLUDED_ROAD', alternatives: ['call_122', 'officer_on_scene'] });
    expect(verdict.reason).toMatch(/^事故地点在江门大道上，.*不适用视频快处/);
    expect(verdict.reason).toMatch(/护栏外/);
    expect(verdict.reason).toMatch(/122/);
  });

  it('refuses a point on the expressway: behind the guard rail, triangle 150 m back, call 122', () => {
    const verdict = at({ lat: 22.605, lng: 112.84 });
    expect(verdict).toMatchObject({ ok: false, code: 'ON_EXCLUDED_ROAD', alternatives: ['call_122', 'officer_on_scene'] });
    expect(verdict.reason).toMatch(/沈海高速上，高速公路上的事故不适用视频快处/);
    expect(verdict.reason).toMatch(/150 米/);
    expect(verdict.reason).toMatch(/护栏外/);
    expect(verdict.reason).toMatch(/拨打 122/);
  });

  it('draws the line at the buffer: 29 m off the road is refused, 31 m is not', () => {
    // The middle of one straight stretch of the demo 江门大道, measured square to it.
    const a = { lng: 113.084, lat: 22.6 };
    const b = { lng: 113.0815, lat: 22.579 };
    const mid = { lat: (a.lat + b.lat) / 2, lng: (a.lng + b.lng) / 2 };
    const k = metresPerDegree(mid.lat);
    const bearing = (Math.atan2((b.lng - a.lng) * k.lng, (b.lat - a.lat) * k.lat) * 180) / Math.PI;
    for (const side of [90, -90]) {
      expect(at(offset(mid.lat, mid.lng, bearing + side, 29))).toMatchObject({ ok: false, code: 'ON_EXCLUDED_ROAD' });
      expect(at(offset(mid.lat, mid.lng, bearing + side, 31))).toMatchObject({ ok: true, code: 'NOT_ON_EXCLUDED_ROAD' });
    }
    expect(index.nearestWithin(offset(mid.lat, mid.lng, bearing + 90, 29).lat, offset(mid.lat, mid.lng, bearing + 90, 29).lng, 30)?.distanceM).toBeCloseTo(29, 0);
  });

  it('lets a point far from every excluded road through', () => {
    expect(at(ORDINARY)).toEqual({ ok: true, code: 'NOT_ON_EXCLUDED_ROAD', reason: expect.any(String), alternatives: [] });
    expect(at(ORDINARY, '建设二路', '广东省江门市蓬江区建设二路')).toMatchObject({ ok: true });
  });

  it('refuses on the reverse geocoder alone: street 江门大道中', () => {
    const verdict = at(ORDINARY, '江门大道中', '广东省江门市蓬江区江门大道中');
    expect(verdict).toMatchObject({ ok: false, code: 'EXCLUDED_ROAD_NAME', alternatives: ['call_122', 'officer_on_scene'] });
    expect(verdict.reason).toMatch(/江门大道中/);
    expect(verdict.reason).toMatch(/在地图上确认/);
  });

  it('refuses on the reverse geocoder alone: street 沈海高速, with the expressway advice', () => {
    const verdict = at(ORDINARY, '沈海高速', null);
    expect(verdict).toMatchObject({ ok: false, code: 'EXCLUDED_ROAD_NAME' });
    expect(verdict.reason).toMatch(/沈海高速，高速公路上的事故不适用视频快处/);
    expect(verdict.reason).toMatch(/护栏外/);
  });

  it.each([
    ['G15', null, false],
    ['G1501', null, false],
    ['S32', null, false],
    ['江珠高速', null, false],
    [null, '广东省江门市蓬江区江门大道北88号', false],
    ['G325', '广东省江门市新会区G325', true],
    ['S270', null, true],
    ['港口路', '广东省江门市蓬江区港口路', true],
    [null, null, true],
  ])('by name: street %s, address %s → ok %s', (street, address, ok) => {
    expect(at(ORDINARY, street, address).ok).toBe(ok);
  });

  it('takes ops-configured names as plain text instead of the defaults', () => {
    const config = loadConfig({ EXCLUDED_ROAD_NAME_PATTERNS: '五邑路， 江珠.高速 ,' });
    expect(config.ROAD_BUFFER_M).toBe(30);
    expect(config.GPS_ACCURACY_CONFIRM_M).toBe(100);
    const options = { bufferM: config.ROAD_BUFFER_M, excludedNamePatterns: config.EXCLUDED_ROAD_NAME_PATTERNS! };
    const check = (street: string) => checkRoads({ ...ORDINARY, street, address: null }, index, options).ok;
    expect(check('五邑路')).toBe(false);
    expect(check('江珠.高速')).toBe(false);
    expect(check('江珠X高速')).toBe(true); // the dot is a dot, not "any character"
    expect(check('江门大道中')).toBe(true); // the defaults are replaced, not extended
    expect(loadConfig({}).EXCLUDED_ROAD_NAME_PATTERNS).toBeUndefined();
    expect(() => loadConfig({ EXCLUDED_ROAD_NAME_PATTERNS: ' , ' })).toThrow(/EXCLUDED_ROAD_NAME_PATTERNS/);
  });

  it('is stateless across calls even with a /g pattern', () => {
    const options = { bufferM: 30, excludedNamePatterns: [/江门大道/g] };
    const input: RoadCheckInput = { ...ORDINARY, street: '江门大道中', address: null };
    expect([1, 2, 3].map(() => checkRoads(input, index, options).ok)).toEqual([false, false, false]);
  });
});

describe('the road index', () => {
  /** A made-up dense network (winding lines all over Jiangmen), to give the tree real work. */
  function syntheticLayer(seed: number, lines: number, vertices: number): RoadFeature[] {
    const rnd = random(seed);
    return Array.from({ length: lines }, (_, i) => {
      let lng = 112.05 + rnd() * 1.15;
      let lat = 21.55 + rnd() * 1.25;
      let heading = rnd() * 2 * Math.PI;
      const coordinates: number[][] = [[lng, lat]];
      for (let v = 1; v < vertices; v++) {
        heading += (rnd() - 0.5) * 0.8;
        const step = 0.0005 + rnd() * 0.004; // ~50–500 m
        lng += Math.cos(heading) * step;
        lat += Math.sin(heading) * step;
        coordinates.push([lng, lat]);
      }
      return { type: 'Feature', properties: { name: `路${i}`, class: i % 3 === 0 ? 'expressway' : 'excluded_road' }, geometry: { type: 'LineString', coordinates } };
    });
  }

  /** Random points: half close to some segment (the interesting ones), half anywhere. */
  function samplePoints(features: RoadFeature[], seed: number, count: number) {
    const rnd = random(seed);
    return Array.from({ length: count }, (_, i) => {
      if (i % 2 === 1) return { lat: 21.5 + rnd() * 1.4, lng: 112 + rnd() * 1.3 };
      const coords = features[Math.floor(rnd() * features.length)]!.geometry.coordinates as number[][];
      const j = Math.floor(rnd() * (coords.length - 1));
      const t = rnd();
      const [ax, ay] = coords[j]!;
      const [bx, by] = coords[j + 1]!;
      return offset(ay! + t * (by! - ay!), ax! + t * (bx! - ax!), rnd() * 360, rnd() * 60);
    });
  }

  /** The answer without an index: every segment of every road. */
  function scan(features: RoadFeature[], lat: number, lng: number, metres: number) {
    const k = metresPerDegree(lat);
    let best: { name: string; distanceM: number } | null = null;
    for (const f of features) {
      const lines = (f.geometry.type === 'LineString' ? [f.geometry.coordinates] : f.geometry.coordinates) as number[][][];
      for (const line of lines) {
        for (let i = 1; i < line.length; i++) {
          const d = pointToSegmentMetres(lat, lng, line[i - 1]![0]!, line[i - 1]![1]!, line[i]![0]!, line[i]![1]!, k);
          if (d <= metres && (!best || d < best.distanceM)) best = { name: f.properties.name, distanceM: d };
        }
      }
    }
    return best;
  }

  it('agrees with a brute-force scan over 2 000 random points', () => {
    const features = [...demoRoadLayer().features, ...syntheticLayer(7, 120, 25)];
    const index = buildRoadIndex({ features });
    let hits = 0;
    for (const p of samplePoints(features, 11, 2_000)) {
      const expected = scan(features, p.lat, p.lng, 30);
      const actual = index.nearestWithin(p.lat, p.lng, 30);
      if (expected === null) expect(actual).toBeNull();
      else {
        hits++;
        expect(actual?.distanceM).toBeCloseTo(expected.distanceM, 9);
      }
    }
    expect(hits).toBeGreaterThan(300); // the sample really tested the near side
  });

  // GeoJSON lines are straight in lng/lat (RFC 7946 §3.1.1), which is turf's 'planar' method; its
  // default great-circle reading bows away from the chord by up to ~1.4 m on the demo's 12 km segments.
  it('measures like turf (straight lng/lat lines, spherical earth) to within the sphere–ellipsoid difference', () => {
    const features = demoRoadLayer().features;
    const index = buildRoadIndex({ features });
    let compared = 0;
    for (const p of samplePoints(features, 23, 2_000)) {
      const turf = Math.min(...features.map((f) => pointToLineDistance(point([p.lng, p.lat]), lineString(f.geometry.coordinates as number[][]), { units: 'meters', method: 'planar' })));
      const ours = index.nearestWithin(p.lat, p.lng, 100);
      if (turf > 101) continue;
      compared++;
      // Sphere vs WGS-84 ellipsoid: at most ~0.5 % here.
      expect(Math.abs(ours!.distanceM - turf)).toBeLessThan(0.02 + turf * 0.006);
    }
    expect(compared).toBeGreaterThan(500);
  });

  it('answers in well under a millisecond on a big layer', () => {
    const features = syntheticLayer(3, 2_000, 50); // ~100 000 segments
    const index = buildRoadIndex({ features });
    expect(index.segmentCount).toBe(2_000 * 49);
    const points = samplePoints(features, 5, 20_000);
    const started = performance.now();
    let found = 0;
    for (const p of points) if (index.nearestWithin(p.lat, p.lng, 30)) found++;
    const perQueryMs = (performance.now() - started) / points.length;
    expect(found).toBeGreaterThan(1_000);
    // Typically a few microseconds; the bound leaves room for a busy CI machine.
    expect(perQueryMs).toBeLessThan(0.2);
  });

  it('handles MultiLineString roads and refuses nonsense input quietly', () => {
    const index = buildRoadIndex({
      features: [{ type: 'Feature', properties: { name: '江珠高速', class: 'expressway' }, geometry: { type: 'MultiLineString', coordinates: [[[113.1, 22.5], [113.11, 22.5]], [[113.2, 22.5], [113.21, 22.5]]] } }],
    });
    expect(index.nearestWithin(22.5, 113.205, 30)).toMatchObject({ name: '江珠高速', class: 'expressway' });
    expect(index.nearestWithin(22.5, 113.15, 30)).toBeNull();
    expect(index.nearestWithin(Number.NaN, 113.2, 30)).toBeNull();
  });
});
