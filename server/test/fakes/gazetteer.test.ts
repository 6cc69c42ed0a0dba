import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { TencentMapClient } from '../../src/clients/tencent-map/tencent-map-client';
import { DISTRICTS } from '../../src/brigades/districts';
import { startFakes, type RunningFakes } from '../../fakes';
import { JiangmenGazetteer } from '../../fakes/gazetteer';

/** The demo's geocoder: real-looking Jiangmen addresses from a small gazetteer of district roads. */
describe('Tencent map fake with the Jiangmen gazetteer (the demo geocoder)', () => {
  let fakes: RunningFakes;
  let map: TencentMapClient;
  const gazetteer = JiangmenGazetteer.load();
  beforeAll(async () => {
    fakes = await startFakes();
    map = new TencentMapClient({ baseUrl: fakes.tencentMap.url, key: fakes.env.TENCENT_MAP_KEY!, timeoutMs: 2_000 });
  });
  afterAll(() => fakes.stop());
  beforeEach(() => fakes.reset());

  it('lists a few roads in each of the seven districts, every point inside its own district', () => {
    const roads = gazetteer.roads();
    for (const district of DISTRICTS) {
      const own = roads.filter((r) => r.adcode === district.adcode);
      expect(own.length).toBeGreaterThanOrEqual(3);
      for (const road of own) for (const point of road.points) expect(booleanPointInPolygon(point, district.area)).toBe(true);
    }
  });

  it('is off unless turned on: without it a point in the city has no result (347), as tests expect', async () => {
    await expect(map.reverseGeocode({ lat: 22.595, lng: 113.077 })).resolves.toBeNull();
  });

  it('names the district and the nearest road, in the documented shape', async () => {
    fakes.tencentMap.useGazetteer(gazetteer);
    const result = await map.reverseGeocode({ lat: 22.5951, lng: 113.0772 });
    expect(result).toMatchObject({
      address: '广东省江门市蓬江区建设路',
      formatted_addresses: { recommend: '蓬江区建设路' },
      address_component: { nation: '中国', province: '广东省', city: '江门市', district: '蓬江区', street: '建设路', street_number: '' },
      ad_info: { nation_code: '156', adcode: '440703', city_code: '156440700', district: '蓬江区' },
      address_reference: { street: { title: '建设路', _distance: expect.any(Number) } },
    });
    expect(result!.address_reference!.street!._distance).toBeLessThan(40);
    // A point on each listed road reads as that road, in its district.
    for (const road of gazetteer.roads()) {
      const [lng, lat] = road.points[Math.floor(road.points.length / 2)]!;
      const found = await map.reverseGeocode({ lat: lat!, lng: lng! });
      expect([found?.address_component.district, found?.address_component.street]).toEqual([road.district, road.name]);
    }
  });

  it('gives the district alone far from every listed road, 347 outside Jiangmen, and lets an added place win', async () => {
    fakes.tencentMap.useGazetteer(gazetteer);
    expect(await map.reverseGeocode({ lat: 22.3, lng: 112.5 })).toMatchObject({ address: '广东省江门市开平市', address_component: { district: '开平市', street: '' }, ad_info: { adcode: '440783' } });
    await expect(map.reverseGeocode({ lat: 23.13, lng: 113.26 })).resolves.toBeNull(); // Guangzhou
    fakes.tencentMap.addPlace({ lat: 22.5951, lng: 113.0772, radiusM: 50, street: '建设三路', district: '蓬江区', adcode: '440703' });
    expect((await map.reverseGeocode({ lat: 22.5951, lng: 113.0772 }))?.address_component.street).toBe('建设三路');
  });
});
