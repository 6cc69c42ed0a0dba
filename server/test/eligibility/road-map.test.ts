import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import destination from '@turf/destination';
import { point } from '@turf/helpers';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Case } from '../../src/cases/case.model';
import { DISTRICTS } from '../../src/brigades/districts';
import { REPO_ROOT } from '../../src/platform/paths';
import { createStaff } from '../../src/staff/staff.service';
import { HttpClient } from '../http';
import { startTestServer, type TestServer } from '../harness';
import { caseDoc, DURING_HOURS, pointIn, QUALIFYING_ANSWERS, seedBrigades, verifiedDriver } from '../cases/fixtures';

const PREVIEW = '/api/v1/admin/road-layer/preview';
const PROBE = '/api/v1/admin/eligibility/probe';

const DEMO = JSON.parse(readFileSync(join(REPO_ROOT, 'server/data/demo-road-layer.geojson'), 'utf8'));
/** The middle of the first segment of the demo road `name`: on its centre line. */
function onDemoRoad(name: string) {
  const [[aLng, aLat], [bLng, bLat]] = DEMO.features.find((f: { properties: { name: string } }) => f.properties.name === name).geometry.coordinates;
  return { lat: (aLat + bLat) / 2, lng: (aLng + bLng) / 2 };
}
const move = (p: { lat: number; lng: number }, metres: number, bearing: number) => {
  const [lng, lat] = destination([p.lng, p.lat], metres, bearing, { units: 'meters' }).geometry.coordinates as [number, number];
  return { lat, lng };
};
const KAIPING = pointIn('440783');

/** The ops map through HTTP: what it draws, and the rules' answer for a point, on the real engine. */
describe('road layer map preview and the eligibility probe', () => {
  let t: TestServer;
  let ops: HttpClient;
  let dispatcher: HttpClient;
  beforeAll(async () => {
    t = await startTestServer();
    await seedBrigades();
    await createStaff({ username: 'map-ops', displayName: '运维', role: 'ops', password: 'map-ops-password' }, t.config.PASSWORD_HASH_COST);
    await createStaff({ username: 'map-desk', displayName: '接警员', role: 'dispatcher', brigadeCode: 'JM-PJ', password: 'map-desk-password' }, t.config.PASSWORD_HASH_COST);
    ops = new HttpClient(t.url);
    dispatcher = new HttpClient(t.url);
    expect((await ops.post('/api/v1/staff/login', { username: 'map-ops', password: 'map-ops-password' })).status).toBe(200);
    expect((await dispatcher.post('/api/v1/staff/login', { username: 'map-desk', password: 'map-desk-password' })).status).toBe(200);
  });
  beforeEach(() => {
    t.services.clock = DURING_HOURS;
  });
  afterAll(() => t.close());

  describe('GET /api/v1/admin/road-layer/preview', () => {
    it('draws the districts with their brigades, the roads, their buffer at the rule’s distance, and the recent cases', async () => {
      const now = DURING_HOURS();
      const day = 24 * 3600_000;
      await Case.create([
        caseDoc({ reportedAt: new Date(now.getTime() - 3600_000), state: 'queued', brigadeCode: 'JM-PJ', districtName: '蓬江区' }),
        caseDoc({ reportedAt: new Date(now.getTime() - 2 * day), state: 'redirected', brigadeCode: 'JM-KP', districtName: '开平市', location: { ...KAIPING, accuracyM: 10, reportedAs: 'gcj02' } }),
        caseDoc({ reportedAt: new Date(now.getTime() - 10 * day), state: 'released' }),
        caseDoc({ reportedAt: new Date(now.getTime() - 60_000), state: 'draft' }),
      ]);

      const res = await ops.get(PREVIEW);
      expect(res.status).toBe(200);
      const body = res.body;
      expect(body.layer).toMatchObject({ version: 0, featureCount: 2, bufferM: 30 });

      expect(body.districts.features).toHaveLength(7);
      const pengjiang = body.districts.features.find((f: { properties: { adcode: string } }) => f.properties.adcode === '440703');
      expect(pengjiang.properties).toEqual({ adcode: '440703', name: '蓬江区', brigadeCode: 'JM-PJ', brigadeName: '江门市公安局交通警察支队蓬江大队' });
      // Simplified for drawing, yet still the district: its own inner point is inside the drawn outline.
      expect(booleanPointInPolygon(point([pointIn('440703').lng, pointIn('440703').lat]), pengjiang)).toBe(true);
      const drawnPoints = JSON.stringify(body.districts).match(/\],\[/g)!.length;
      expect(drawnPoints).toBeLessThan(6000);
      expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThan(400_000);

      expect(body.roads.features.map((f: { properties: { name: string; class: string } }) => [f.properties.name, f.properties.class])).toEqual([
        ['江门大道', 'excluded_road'],
        ['沈海高速', 'expressway'],
      ]);
      expect(body.buffers.features.map((f: { properties: { name: string; bufferM: number } }) => f.properties)).toEqual([
        { name: '江门大道', bufferM: 30 },
        { name: '沈海高速', bufferM: 30 },
      ]);
      // The band is the rule's: 20 m off the line is inside it, 60 m is not.
      const onRoad = onDemoRoad('江门大道');
      const band = body.buffers.features[0];
      expect(band.geometry.type).toMatch(/Polygon/);
      expect(booleanPointInPolygon(point([move(onRoad, 20, 90).lng, move(onRoad, 20, 90).lat]), band)).toBe(true);
      expect(booleanPointInPolygon(point([move(onRoad, 60, 90).lng, move(onRoad, 60, 90).lat]), band)).toBe(false);

      // The last 7 days, newest first, drafts left out, each with its state and brigade.
      expect(body.cases).toMatchObject({ days: 7, truncated: false, since: new Date(now.getTime() - 7 * day).toISOString() });
      expect(body.cases.items).toEqual([
        expect.objectContaining({ state: 'queued', brigadeCode: 'JM-PJ', brigadeName: '江门市公安局交通警察支队蓬江大队', districtName: '蓬江区', lat: pointIn('440703').lat }),
        expect.objectContaining({ state: 'redirected', brigadeCode: 'JM-KP', brigadeName: '开平市公安局交通警察大队', lat: KAIPING.lat, lng: KAIPING.lng }),
      ]);
      // ?days= widens the window; out of range is a 400.
      expect((await ops.get(`${PREVIEW}?days=30`)).body.cases.items).toHaveLength(3);
      expect((await ops.get(`${PREVIEW}?days=0`)).status).toBe(400);
      expect((await ops.get(`${PREVIEW}?days=abc`)).body.code).toBe('VALIDATION_FAILED');
    });

    it('is for ops only', async () => {
      expect((await new HttpClient(t.url).get(PREVIEW)).status).toBe(401);
      const res = await dispatcher.get(PREVIEW);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });
  });

  describe('POST /api/v1/admin/eligibility/probe', () => {
    const probe = (body: unknown, who = ops) => who.post(PROBE, body, { headers: { 'x-console-request': '1' } });

    it('a point on an excluded road: refused, naming the road and its distance, by the same rule the drivers get', async () => {
      // 10 m across the line (it runs south-west here).
      const at = move(onDemoRoad('沈海高速'), 10, 127);
      const res = await probe(at);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ accepted: false, placeAccepted: false, road: { name: '沈海高速', class: 'expressway' }, bufferM: 30, layerVersion: 0 });
      expect(res.body.road.distanceM).toBeGreaterThan(8);
      expect(res.body.road.distanceM).toBeLessThan(12);
      const roads = res.body.verdicts.find((v: { rule: string }) => v.rule === 'roads');
      expect(roads).toMatchObject({ title: '排除道路', ok: false, code: 'ON_EXCLUDED_ROAD', reason: expect.stringMatching(/^事故地点在沈海高速上/), detail: expect.stringMatching(/距「沈海高速」中心线 \d+ 米，在 30 米缓冲范围内/) });
      expect(res.body.summary).toBe('不予受理：排除道路（沈海高速）不通过');

      // A driver's own check at the same spot is refused with the same words.
      const driver = await verifiedDriver(t);
      const check = await driver.post('/api/v1/eligibility/check', { location: { ...at, coordType: 'gcj02', accuracyM: 15 }, answers: QUALIFYING_ANSWERS });
      expect(check.body.failed).toEqual([expect.objectContaining({ rule: 'roads', code: 'ON_EXCLUDED_ROAD', reason: roads.reason })]);
    });

    it('a point in a district: accepted, with that district’s brigade and every rule passed in words', async () => {
      const res = await probe({ ...KAIPING });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        accepted: true,
        placeAccepted: true,
        district: { adcode: '440783', name: '开平市' },
        brigade: { code: 'JM-KP', name: '开平市公安局交通警察大队' },
        road: null,
        summary: '可以受理，由开平市公安局交通警察大队处理',
      });
      expect(res.body.verdicts.map((v: { rule: string; ok: boolean; code: string }) => [v.rule, v.ok, v.code])).toEqual([
        ['hours', true, 'OPEN'],
        ['place', true, 'IN_AREA'],
        ['roads', true, 'NOT_ON_EXCLUDED_ROAD'],
      ]);
      expect(res.body.verdicts[0].detail).toBe('按北京时间 2026-11-25 10:00 判断');
      expect(res.body.verdicts[1].reason).toBe('事故地点在开平市');
    });

    it('near a road but outside its buffer: accepted, and the nearest road is named with its distance', async () => {
      const at = move(onDemoRoad('江门大道'), 200, 90);
      const res = await probe(at);
      expect(res.body.accepted).toBe(true);
      expect(res.body.nearestRoad).toMatchObject({ name: '江门大道' });
      expect(res.body.nearestRoad.distanceM).toBeGreaterThan(150);
      expect(res.body.verdicts[2].detail).toMatch(/^最近的排除道路「江门大道」距此 \d+ 米，在 30 米缓冲范围外$/);
    });

    it('outside the service hours: the place is fine, the hour is not', async () => {
      t.services.clock = () => new Date('2026-11-25T03:00:00+08:00');
      const res = await probe({ ...KAIPING });
      expect(res.body).toMatchObject({ accepted: false, placeAccepted: true, brigade: { code: 'JM-KP' } });
      expect(res.body.verdicts[0]).toMatchObject({ rule: 'hours', ok: false });
      expect(res.body.summary).toBe('此处可以受理，由开平市公安局交通警察大队处理；但现在不受理：服务时间不通过');
    });

    it('a point outside the city: refused, no brigade', async () => {
      const southernmost = DISTRICTS.flatMap((d) => {
        const g = d.area.geometry;
        return (g.type === 'Polygon' ? g.coordinates : g.coordinates.flat()).flat();
      }).reduce((a, b) => (b[1]! < a[1]! ? b : a));
      const res = await probe(move({ lng: southernmost[0]!, lat: southernmost[1]! }, 10_000, 180));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ accepted: false, placeAccepted: false, district: null, brigade: null });
      expect(res.body.verdicts[1]).toMatchObject({ rule: 'place', ok: false, code: 'OUTSIDE_AREA', reason: expect.stringContaining('不在江门市') });
      expect(res.body.summary).toBe('不予受理：服务范围（辖区）不通过');
    });

    it('takes WGS-84 as the phones may send it, converted first', async () => {
      const res = await probe({ ...KAIPING, coordType: 'wgs84' });
      expect(res.body).toMatchObject({ convertedFromWgs84: true });
      expect(Math.abs(res.body.lng - KAIPING.lng)).toBeGreaterThan(0.001);
    });

    it('refuses bad input with 400 and keeps it to ops', async () => {
      for (const bad of [{}, { lat: '22.5', lng: 113 }, { lat: 91, lng: 113 }, { lat: 22.5, lng: 113, coordType: 'bd09' }, { lat: 22.5, lng: 113, extra: 1 }]) {
        const res = await probe(bad);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
      expect((await new HttpClient(t.url).post(PROBE, { ...KAIPING }, { headers: { 'x-console-request': '1' } })).status).toBe(401);
      const res = await probe({ ...KAIPING }, dispatcher);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });
  });
});
