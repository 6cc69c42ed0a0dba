import { RoadLayerVersion } from '../../src/eligibility/road-layer.model';
import { createStaff } from '../../src/staff/staff.service';
import { HttpClient } from '../http';
import { startTestServer, type TestServer } from '../harness';

const PATH = '/api/v1/admin/road-layer';
const GEOJSON = { 'x-console-request': '1', 'content-type': 'application/geo+json' };

const text = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features }, null, 2);
const road = (name: string | undefined, roadClass: string, coordinates: unknown) => ({
  type: 'Feature',
  properties: { ...(name === undefined ? {} : { name }), class: roadClass },
  geometry: { type: 'LineString', coordinates },
});
/** 1-based line of the n-th (0-based) `"type": "Feature"` in the text: where that feature starts. */
const featureLine = (body: string, n: number) => {
  let at = -1;
  for (let i = 0; i <= n; i++) at = body.indexOf('"type": "Feature"', at + 1);
  // The feature's `{` is on the line before its first member.
  return body.slice(0, at).split('\n').length - 1;
};

const GOOD = road('江珠高速', 'expressway', [
  [113.12, 22.52],
  [113.16, 22.5],
  [113.2, 22.47],
]);

/** PUT /api/v1/admin/road-layer: a refused upload lists every bad road by its index, with its name and what is wrong. */
describe('road layer upload: the problems road by road', () => {
  let t: TestServer;
  let ops: HttpClient;
  beforeAll(async () => {
    t = await startTestServer();
    await createStaff({ username: 'validate-ops', displayName: '运维', role: 'ops', password: 'validate-ops-password' }, t.config.PASSWORD_HASH_COST);
    ops = new HttpClient(t.url);
    expect((await ops.post('/api/v1/staff/login', { username: 'validate-ops', password: 'validate-ops-password' })).status).toBe(200);
  });
  afterAll(() => t.close());

  const put = (body: string) => ops.request('PUT', PATH, undefined, { raw: body, headers: GEOJSON });

  it('a good road and two bad ones: 400 with exactly those two, by index, and nothing replaced', async () => {
    const swapped = road('江门大道', 'excluded_road', [
      [22.58, 113.08],
      [22.59, 113.0812],
      [22.6, 113.0815],
    ]);
    const nameless = road(undefined, 'main_road', [[113.05, 22.4]]);
    const body = text([GOOD, swapped, nameless]);
    const res = await put(body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_ROAD_LAYER');
    expect(res.body.featureErrors).toEqual([
      {
        index: 1,
        name: '江门大道',
        line: featureLine(body, 1),
        // Six bad numbers told as one sentence, with the first point and how it should read.
        problems: ['经纬度写反了（第 1 个坐标点 [22.58, 113.08] 等共 3 个坐标点）：GeoJSON 坐标应为 [经度, 纬度]，如 [113.08, 22.58]'],
      },
      {
        index: 2,
        name: null,
        line: featureLine(body, 2),
        problems: ['缺少道路名称（properties.name）', expect.stringContaining('expressway / urban_expressway / excluded_road'), '一条线至少要有 2 个坐标点'],
      },
    ]);
    // The line-by-line issues are still there for whoever reads the file by line.
    expect(res.body.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['features.1.geometry.coordinates.0.0', 'features.2.properties.name']));
    expect(res.body.issues.some((i: { path: string }) => i.path.startsWith('features.0'))).toBe(false);

    expect(await RoadLayerVersion.countDocuments()).toBe(0);
    expect((await ops.get(PATH)).body.version).toBe(0);
  });

  it('tells projected metres, another city, abroad, a bad point and a Polygon apart', async () => {
    const body = text([
      road('投影坐标路', 'excluded_road', [
        [12_589_000, 2_580_000],
        [12_590_000, 2_581_000],
      ]),
      road('广州某路', 'excluded_road', [
        [113.26, 23.13],
        [113.27, 23.14],
      ]),
      road('海外某路', 'excluded_road', [
        [2.35, 48.85],
        [2.36, 48.86],
      ]),
      road('半个坐标', 'excluded_road', [[113.08], [113.09, 22.6]]),
      { type: 'Feature', properties: { name: '某广场', class: 'excluded_road' }, geometry: { type: 'Polygon', coordinates: [[[113.1, 22.6], [113.11, 22.6], [113.11, 22.61], [113.1, 22.6]]] } },
      GOOD,
    ]);
    const res = await put(body);
    expect(res.status).toBe(400);
    const problems = Object.fromEntries((res.body.featureErrors as { index: number; problems: string[] }[]).map((e) => [e.index, e.problems]));
    expect(Object.keys(problems)).toEqual(['0', '1', '2', '3', '4']);
    expect(problems[0]).toEqual([expect.stringMatching(/^坐标不是经纬度（第 1 个坐标点 \[12589000, 2580000\] 等共 2 个坐标点），像是投影坐标/)]);
    expect(problems[1]).toEqual([expect.stringMatching(/^坐标不在江门市范围内.*其他城市/)]);
    expect(problems[2]).toEqual([expect.stringMatching(/^坐标不在中国境内/)]);
    expect(problems[3]).toEqual([expect.stringMatching(/^坐标点格式有误（第 1 个坐标点 \[113\.08\]）/)]);
    expect(problems[4]).toEqual(['几何类型必须是 LineString 或 MultiLineString']);
  });

  it('refuses the same line twice (also drawn backwards), a line of no length and too many points', async () => {
    const many = Array.from({ length: 20_001 }, (_, i) => [113.0 + i * 0.00001, 22.5]);
    const body = text([
      GOOD,
      road('江珠高速（重复）', 'expressway', [...(GOOD.geometry.coordinates as number[][])].reverse()),
      road('一个点', 'excluded_road', [
        [113.1, 22.6],
        [113.1, 22.6],
      ]),
      road('很长的路', 'excluded_road', many),
    ]);
    const res = await put(body);
    expect(res.status).toBe(400);
    expect(res.body.featureErrors).toEqual([
      { index: 1, name: '江珠高速（重复）', line: featureLine(body, 1), problems: ['与 features[0]「江珠高速」的线形完全相同（重复的道路）'] },
      { index: 2, name: '一个点', line: featureLine(body, 2), problems: ['线的长度为零：所有坐标点都相同'] },
      { index: 3, name: '很长的路', line: featureLine(body, 3), problems: ['这条道路的坐标点过多（20001 个，每条最多 20000 个），请简化线形后上传'] },
    ]);
    expect(await RoadLayerVersion.countDocuments()).toBe(0);
  });

  it('a file-wide problem is not a road’s: no featureErrors, the issue says it', async () => {
    const res = await put('{"type": "FeatureCollection", "features": []}');
    expect(res.status).toBe(400);
    expect(res.body.featureErrors).toBeUndefined();
    expect(res.body.issues).toEqual([{ line: 1, path: 'features', message: expect.stringContaining('路网不能为空') }]);
  });
});
