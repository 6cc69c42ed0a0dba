import { AuditEntry } from '../../src/platform/audit/audit';
import { RoadLayerVersion } from '../../src/eligibility/road-layer.model';
import { parseRoadLayer } from '../../src/eligibility/road-layer';
import { currentRoadIndex } from '../../src/eligibility/road-layer.service';
import { checkRoads, DEFAULT_EXCLUDED_NAME_PATTERNS } from '../../src/eligibility/roads';
import { createStaff } from '../../src/staff/staff.service';
import { HttpClient } from '../http';
import { startTestServer, type TestServer } from '../harness';

const PATH = '/api/v1/admin/road-layer';
const GEOJSON = { 'x-console-request': '1', 'content-type': 'application/geo+json' };

/** An upload as ops would send it: pretty-printed, so every coordinate has a line of its own. */
const text = (features: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ type: 'FeatureCollection', ...extra, features }, null, 2);
const road = (name: string, roadClass: string, coordinates: number[][]) => ({ type: 'Feature', properties: { name, class: roadClass }, geometry: { type: 'LineString', coordinates } });
/** 1-based line of the first occurrence of `marker` at or after `from`. */
const lineOf = (body: string, marker: string, from = 0) => {
  const at = body.indexOf(marker, from);
  if (at === -1) throw new Error(`${marker} not in the text`);
  return body.slice(0, at).split('\n').length;
};

// A made-up stretch of 江珠高速 in 江海区, away from the demo lines.
const JIANGZHU = road('江珠高速', 'expressway', [
  [113.12, 22.52],
  [113.16, 22.5],
  [113.2, 22.47],
]);
const ON_JIANGZHU = { lat: 22.51, lng: 113.14 };
const ON_DEMO_JIANGMEN_DADAO = { lat: 22.579, lng: 113.0815 };

describe('the excluded-road layer through HTTP: ops see it and replace it, bad files refused by line', () => {
  let t: TestServer;
  let ops: HttpClient;
  let dispatcher: HttpClient;
  beforeAll(async () => {
    // A tiny JSON limit shows the upload does not go through the JSON body parser.
    t = await startTestServer({ env: { MAX_JSON_BODY: '1kb' } });
    await createStaff({ username: 'roads-ops', displayName: '运维', role: 'ops', password: 'roads-ops-password' }, t.config.PASSWORD_HASH_COST);
    await createStaff({ username: 'roads-desk', displayName: '接警员', role: 'dispatcher', brigadeCode: 'JM-PJ', password: 'roads-desk-password' }, t.config.PASSWORD_HASH_COST);
    ops = new HttpClient(t.url);
    dispatcher = new HttpClient(t.url);
    expect((await ops.post('/api/v1/staff/login', { username: 'roads-ops', password: 'roads-ops-password' })).status).toBe(200);
    expect((await dispatcher.post('/api/v1/staff/login', { username: 'roads-desk', password: 'roads-desk-password' })).status).toBe(200);
  });
  afterAll(() => t.close());

  const put = (body: string, headers: Record<string, string> = GEOJSON) => ops.request('PUT', PATH, undefined, { raw: body, headers });

  it('shows the shipped demo layer as version 0, illustrative', async () => {
    const res = await ops.get(PATH);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ version: 0, featureCount: 2, roadNames: ['江门大道', '沈海高速'], illustrative: true, uploadedAt: null, uploadedBy: null, bufferM: 30 });
  });

  it('keeps the layer to ops: 401 for nobody, 403 for a dispatcher, 403 for a write without the console header', async () => {
    expect((await new HttpClient(t.url).get(PATH)).status).toBe(401);
    expect((await new HttpClient(t.url).get(`${PATH}/`)).status).toBe(401);
    expect((await dispatcher.get(PATH)).status).toBe(403);
    const byDispatcher = await dispatcher.request('PUT', PATH, undefined, { raw: text([JIANGZHU]), headers: GEOJSON });
    expect(byDispatcher.status).toBe(403);
    expect(byDispatcher.body.code).toBe('FORBIDDEN');
    const noHeader = await put(text([JIANGZHU]), { 'content-type': 'application/geo+json' });
    expect(noHeader.status).toBe(403);
    expect(noHeader.body.code).toBe('CSRF_REJECTED');
    expect((await put(text([JIANGZHU]), { 'x-console-request': '1', 'content-type': 'text/plain' })).status).toBe(415);
    expect(await RoadLayerVersion.countDocuments()).toBe(0);
  });

  it('refuses invalid JSON with the line of the syntax error', async () => {
    const body = text([JIANGZHU]).replace('"class": "expressway"', '"class": "expressway",');
    const res = await put(body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_ROAD_LAYER');
    // The trailing comma is noticed at the closing brace on the next line.
    expect(res.body.issues).toEqual([{ line: lineOf(body, '"class": "expressway"') + 1, path: '', message: expect.stringContaining('逗号') }]);
    expect(res.body.message).toMatch(/^路网文件不是有效的 JSON：第 \d+ 行/);

    const missingComma = '{\n  "type": "FeatureCollection"\n  "features": []\n}';
    expect((await put(missingComma)).body.issues[0]).toMatchObject({ line: 3, message: expect.stringContaining('缺少逗号') });
    expect((await put('')).body.issues[0]).toMatchObject({ line: 1, message: '文件是空的' });
    // Any spelling the router accepts skips the JSON body parser too (else: its error, without a line).
    const variant = await ops.request('PUT', `${PATH.toUpperCase().replace('/API/V1', '/api/v1')}/`, undefined, { raw: missingComma, headers: { 'x-console-request': '1', 'content-type': 'application/json' } });
    expect(variant.body).toMatchObject({ code: 'INVALID_ROAD_LAYER', issues: [{ line: 3 }] });
  });

  it('refuses a Polygon, a road without a name and a coordinate outside Jiangmen, each with its own line', async () => {
    const polygon = { type: 'Feature', properties: { name: '某广场', class: 'excluded_road' }, geometry: { type: 'Polygon', coordinates: [[[113.1, 22.6], [113.11, 22.6], [113.11, 22.61], [113.1, 22.6]]] } };
    const nameless = { type: 'Feature', properties: { class: 'expressway' }, geometry: { type: 'LineString', coordinates: [[113.05, 22.4], [113.06, 22.41]] } };
    const swapped = road('江门大道', 'excluded_road', [
      [113.08, 22.58],
      [22.59, 113.0812],
    ]);
    const body = text([JIANGZHU, polygon, nameless, swapped]);
    const res = await put(body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_ROAD_LAYER');
    const issues = res.body.issues as { line: number; path: string; message: string }[];
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i]));

    expect(byPath['features.1.geometry.type']).toEqual({ line: lineOf(body, '"type": "Polygon"'), path: 'features.1.geometry.type', message: '几何类型必须是 LineString 或 MultiLineString' });
    // A missing key has no line of its own: the issue points at the object it is missing from.
    const namelessAt = body.indexOf('"class": "expressway"', body.indexOf('"Polygon"'));
    expect(byPath['features.2.properties.name']).toEqual({ line: body.slice(0, namelessAt).split('\n').length - 1, path: 'features.2.properties.name', message: '缺少道路名称（properties.name）' });
    expect(byPath['features.3.geometry.coordinates.1.0']).toMatchObject({ line: lineOf(body, '22.59'), message: expect.stringContaining('经度超出江门范围') });
    expect(byPath['features.3.geometry.coordinates.1.1']).toMatchObject({ line: lineOf(body, '113.0812'), message: expect.stringContaining('[经度, 纬度]') });
    expect(res.body.message).toMatch(/^路网文件有误：第 \d+ 行 features\.1\.geometry\.type：/);

    // Nothing was replaced.
    expect((await ops.get(PATH)).body.version).toBe(0);
  });

  it('refuses an unknown road class and a one-point line', async () => {
    const body = text([road('江门大道', 'main_road', [[113.08, 22.58], [113.081, 22.59]]), road('某路', 'excluded_road', [[113.08, 22.58]])]);
    const res = await put(body);
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([
      { line: lineOf(body, '"main_road"'), path: 'features.0.properties.class', message: expect.stringContaining('expressway / urban_expressway / excluded_road') },
      { line: lineOf(body, '"coordinates"', body.indexOf('某路')), path: 'features.1.geometry.coordinates', message: '一条线至少要有 2 个坐标点' },
    ]);
  });

  it('replaces the layer (audited), past the JSON size limit, and the new line is in force at once', async () => {
    // Twelve copies of the road make the file bigger than MAX_JSON_BODY (1 kb here).
    const body = text([JIANGZHU, ...Array.from({ length: 11 }, (_, i) => road(`江珠高速${i}`, 'expressway', [[113.12, 22.52 - i * 0.001], [113.2, 22.47 - i * 0.001]]))]);
    expect(body.length).toBeGreaterThan(1024);
    const res = await put(body, { 'x-console-request': '1', 'content-type': 'application/json; charset=utf-8' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 1, featureCount: 12, illustrative: false, uploadedBy: 'roads-ops', bufferM: 30 });
    expect(res.body.roadNames[0]).toBe('江珠高速');
    expect(Date.parse(res.body.uploadedAt)).not.toBeNaN();
    expect((await ops.get(PATH)).body).toEqual(res.body);

    const { index, summary } = await currentRoadIndex();
    expect(summary.version).toBe(1);
    const options = { bufferM: 30, excludedNamePatterns: DEFAULT_EXCLUDED_NAME_PATTERNS };
    expect(checkRoads({ ...ON_JIANGZHU, street: null, address: null }, index, options)).toMatchObject({ ok: false, code: 'ON_EXCLUDED_ROAD', reason: expect.stringMatching(/^事故地点在江珠高速上/) });
    // The demo layer is gone: its 江门大道 is now caught by the geocoder's name only.
    expect(checkRoads({ ...ON_DEMO_JIANGMEN_DADAO, street: null, address: null }, index, options).ok).toBe(true);

    const entry = await AuditEntry.findOne({ action: 'road_layer.replace' }).lean();
    expect(entry).toMatchObject({ actor: { kind: 'ops', username: 'roads-ops' }, target: { kind: 'road_layer', id: '1' }, details: { replacedVersion: 0, featureCount: 12, positionCount: 25 } });
  });

  it('settles concurrent uploads by the unique version: each one in or 409, never two with one number', async () => {
    const results = await Promise.all(Array.from({ length: 4 }, () => put(text([JIANGZHU]))));
    const statuses = results.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    const won = results.filter((r) => r.status === 200).map((r) => r.body.version as number);
    expect(won.length).toBeGreaterThan(0);
    expect(new Set(won).size).toBe(won.length);
    expect(await RoadLayerVersion.countDocuments()).toBe(1 + won.length);
    expect(await AuditEntry.countDocuments({ action: 'road_layer.replace' })).toBe(1 + won.length);
    expect(results.find((r) => r.status === 409)?.body.code ?? 'CONFLICT').toBe('CONFLICT');
  });

  it('picks up a version another instance stored, on its next look at the database', async () => {
    const before = (await currentRoadIndex({ maxAgeMs: 0 })).summary.version;
    // As if uploaded through another server instance: straight into the collection.
    await RoadLayerVersion.create({
      version: before + 1,
      features: [{ name: '新会大道', class: 'excluded_road', geometryType: 'LineString', lines: [{ coords: [113.03, 22.45, 113.04, 22.46] }] }],
      featureCount: 1,
      positionCount: 2,
      roadNames: ['新会大道'],
      illustrative: false,
      uploadedAt: new Date(),
      uploadedById: 'elsewhere',
      uploadedBy: 'other-ops',
      sizeBytes: 1,
      sha256: 'x',
    });
    const { index, summary } = await currentRoadIndex({ maxAgeMs: 0 });
    expect(summary).toMatchObject({ version: before + 1, roadNames: ['新会大道'], uploadedBy: 'other-ops' });
    expect(index.nearestWithin(22.455, 113.035, 30)?.name).toBe('新会大道');
  });
});

describe('parseRoadLayer: what a file from the field looks like', () => {
  it('accepts a BOM, MultiLineStrings and altitudes (dropped), and says an illustrative file is one', () => {
    const multi = { type: 'Feature', properties: { name: '江珠高速', class: 'expressway', illustrative: true }, geometry: { type: 'MultiLineString', coordinates: [[[113.12, 22.52, 4], [113.16, 22.5, 5]], [[113.16, 22.5], [113.2, 22.47]]] } };
    const parsed = parseRoadLayer(`\uFEFF${text([multi])}`);
    expect(parsed).toMatchObject({ ok: true, positionCount: 4, layer: { illustrative: true, note: null } });
    if (parsed.ok) expect(parsed.layer.features[0]!.geometry.coordinates[0]).toEqual([[113.12, 22.52], [113.16, 22.5]]);
  });

  it('refuses text that was not UTF-8, at the first garbled line', () => {
    const body = text([JIANGZHU]).replace('江珠高速', '\uFFFD\uFFFD');
    expect(parseRoadLayer(body)).toMatchObject({ ok: false, issues: [{ line: lineOf(body, '\uFFFD'), message: expect.stringContaining('UTF-8') }] });
  });
});
