import destination from '@turf/destination';
import pointOnFeature from '@turf/point-on-feature';
import { suspend } from '../../src/eligibility/service-calendar.service';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CASE_RULES } from '../../src/eligibility/case-rules';
import { DISTRICTS } from '../../src/brigades/districts';
import { REPO_ROOT } from '../../src/platform/paths';
import { startTestServer, type TestServer } from '../harness';
import { DURING_HOURS, PENGJIANG, QUALIFYING_ANSWERS, seedBrigades, verifiedDriver, type TestDriver } from '../cases/fixtures';

/** A point on the demo layer's line `name`: the middle of its first segment. */
function onDemoRoad(name: string) {
  const layer = JSON.parse(readFileSync(join(REPO_ROOT, 'server/data/demo-road-layer.geojson'), 'utf8'));
  const [[aLng, aLat], [bLng, bLat]] = layer.features.find((f: { properties: { name: string } }) => f.properties.name === name).geometry.coordinates;
  return { lat: (aLat + bLat) / 2, lng: (aLng + bLng) / 2 };
}

const vertices = DISTRICTS.flatMap((d) => {
  const g = d.area.geometry;
  const rings = g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
  return rings.flatMap((ring) => ring.map(([lng, lat]) => ({ lng: lng!, lat: lat!, adcode: d.adcode })));
});
const move = (p: { lat: number; lng: number }, metres: number, bearing: number) => {
  const [lng, lat] = destination([p.lng, p.lat], metres, bearing, { units: 'meters' }).geometry.coordinates as [number, number];
  return { lat, lng };
};

/** POST /api/v1/eligibility/check through HTTP: every rule against the real engine and the geocoder fake. */
describe('POST /api/v1/eligibility/check', () => {
  let t: TestServer;
  let driver: TestDriver;
  beforeAll(async () => {
    t = await startTestServer();
    await seedBrigades();
    driver = await verifiedDriver(t);
  });
  beforeEach(() => {
    t.services.clock = DURING_HOURS;
  });
  afterAll(() => t.close());

  const check = async (at: { lat: number; lng: number }, answers: Partial<typeof QUALIFYING_ANSWERS> = {}) => {
    const res = await driver.post('/api/v1/eligibility/check', { location: { ...at, coordType: 'gcj02', accuracyM: 15 }, answers: { ...QUALIFYING_ANSWERS, ...answers } });
    expect(res.status).toBe(200);
    return res.body;
  };
  const codes = (body: { failed: { rule: string; code: string }[] }) => body.failed.map((f) => `${f.rule}:${f.code}`);

  it('refuses a point 10 km out to sea, with the reason and the alternatives', async () => {
    const southernmost = vertices.reduce((a, b) => (b.lat < a.lat ? b : a));
    const body = await check(move(southernmost, 10_000, 180));
    expect(codes(body)).toEqual(['place:OUTSIDE_AREA']);
    expect(body.failed[0]).toMatchObject({ reason: expect.stringContaining('不在江门市'), alternatives: expect.arrayContaining(['call_122']) });
    expect(body.place).toMatchObject({ district: null, brigade: null });
  });

  it('routes a point 100 m outside the city edge to the nearest district’s brigade', async () => {
    const northernmost = vertices.reduce((a, b) => (b.lat > a.lat ? b : a));
    const body = await check(move(northernmost, 100, 0));
    expect(body.eligible).toBe(true);
    expect(body.place).toMatchObject({ nearBorder: true, district: { adcode: northernmost.adcode }, brigade: { code: expect.any(String) } });
  });

  it.each([['江门大道'], ['沈海高速']])('refuses a point on the demo layer’s %s by the layer alone (the geocoder knows nothing there)', async (road) => {
    const body = await check(onDemoRoad(road));
    expect(codes(body)).toEqual(['roads:ON_EXCLUDED_ROAD']);
    expect(body.failed[0].reason).toContain(road);
    expect(body.failed[0].alternatives).toEqual(['call_122', 'officer_on_scene']);
  });

  it('refuses a point off every demo line when the reverse geocoder names an expressway', async () => {
    const spot = move(PENGJIANG, 3000, 200);
    t.fakes.tencentMap.addPlace({ ...spot, radiusM: 80, street: '江门至珠海高速公路', district: '蓬江区', adcode: '440703' });
    const body = await check(spot);
    expect(codes(body)).toEqual(['roads:EXCLUDED_ROAD_NAME']);
    expect(body.place.address).toContain('高速');
    // 200 m further on is outside the fake's place: an ordinary street again.
    expect((await check(move(spot, 200, 0))).eligible).toBe(true);
  });

  it('goes on with the road layer alone when the geocoder is down, rather than strand the driver', async () => {
    const spot = move(PENGJIANG, 2000, 90);
    t.fakes.tencentMap.addPlace({ ...spot, radiusM: 50, street: '江门大道中', district: '蓬江区', adcode: '440703' });
    t.fakes.tencentMap.failNext('geocoder', { status: 500, body: {} });
    const body = await check(spot);
    expect(body).toMatchObject({ eligible: true, place: { address: '' } });
    // With the geocoder back, its street name is the second signal again.
    expect(codes(await check(spot))).toEqual(['roads:EXCLUDED_ROAD_NAME']);
  });

  it.each(CASE_RULES.map((rule) => [rule.code]))('refuses by the case rule %s through HTTP', async (code) => {
    const answers: Record<string, Partial<typeof QUALIFYING_ANSWERS>> = {
      TOO_FEW_VEHICLES: { vehicleCount: 1 },
      TOO_MANY_VEHICLES: { vehicleCount: 4 },
      NOT_MOTOR_VEHICLES: { motorVehiclesOnly: false },
      INJURY: { anyoneInjured: true },
      NOT_DRIVABLE: { vehiclesDrivable: false },
      FACTS_DISPUTED: { factsDisputed: true },
      UNLICENSED: { unlicensedDriving: true },
      DRINK_OR_DRUGS: { drinkOrDrugs: true },
      LEFT_SCENE: { anyoneLeftScene: true },
    };
    expect(answers[code]).toBeDefined();
    expect(codes(await check(PENGJIANG, answers[code]))).toEqual([`case:${code}`]);
  });

  it('refuses a suspended brigade with the reason, and only that brigade', async () => {
    t.services.clock = () => new Date();
    await suspend({ brigadeCode: 'JM-PJ', reason: '大雾', until: null }, 'test', t.services.clock());
    const body = await check(PENGJIANG);
    expect(codes(body)).toEqual(['hours:SUSPENDED']);
    expect(body.failed[0].reason).toContain('大雾');
    const elsewhere = DISTRICTS.find((d) => d.adcode === '440785')!;
    const [lng, lat] = pointOnFeature(elsewhere.area).geometry.coordinates as [number, number];
    expect(codes(await check({ lat, lng })).filter((c) => c.startsWith('hours:SUSP'))).toEqual([]);
  });

  it('validates its input: a missing answer is a 400 naming the field', async () => {
    const res = await driver.post('/api/v1/eligibility/check', { location: { ...PENGJIANG, coordType: 'gcj02', accuracyM: 10 }, answers: { vehicleCount: 2 } });
    expect(res.status).toBe(400);
    expect(res.body.issues[0].path).toMatch(/^answers\./);
  });
});
