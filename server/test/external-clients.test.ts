import { UpstreamUnavailableError } from '../src/clients/http/fetch-json';
import { RegistryApiError, RegistryClient } from '../src/clients/registry/registry-client';
import { TencentMapApiError, TencentMapClient } from '../src/clients/tencent-map/tencent-map-client';
import { startFakes, type RunningFakes } from '../fakes';

describe('registry and map clients against their fakes', () => {
  let fakes: RunningFakes;
  let registry: RegistryClient;
  let map: TencentMapClient;
  beforeAll(async () => {
    fakes = await startFakes();
    registry = new RegistryClient({ baseUrl: fakes.registry.url, token: fakes.env.REGISTRY_TOKEN!, timeoutMs: 1_000 });
    map = new TencentMapClient({ baseUrl: fakes.tencentMap.url, key: fakes.env.TENCENT_MAP_KEY!, timeoutMs: 1_000 });
  });
  afterAll(() => fakes.stop());
  beforeEach(() => fakes.reset());

  describe('registry', () => {
    const vehicle = { plate: '粤J12345', plateType: '02', vehicleType: 'K33', ownerName: '张三', status: 'normal', inspectionValidUntil: '2027-05-31', reservedPhone: '13800138000' } as const;

    it('returns the record it holds, null for one it does not, and sends no ID number in the URL', async () => {
      fakes.registry.addVehicle({ ...vehicle });
      fakes.registry.addLicence('440703199001011234', { licenceNo: '440703199001011234', name: '张三', classes: ['C1'], status: 'valid', validFrom: '2015-01-01', validUntil: '2031-01-01', reservedPhone: '13800138000' });
      expect(await registry.vehicle({ plate: '粤J12345', plateType: '02' })).toEqual(vehicle);
      expect(await registry.vehicle({ plate: '粤J99999', plateType: '02' })).toBeNull();
      expect((await registry.licence({ idNumber: '440703199001011234' }))?.classes).toEqual(['C1']);
      expect(fakes.registry.calls.every((c) => !JSON.stringify(c.query).includes('440703'))).toBe(true);
    });

    it('finds the 交强险 policy in force on the accident date only', async () => {
      fakes.registry.addPolicy({ policyNo: 'P1', insurer: '人保', plate: '粤J12345', validFrom: '2026-01-01', validUntil: '2026-12-31' });
      expect((await registry.compulsoryInsurance({ plate: '粤J12345', plateType: '02', date: '2026-11-25' }))?.policyNo).toBe('P1');
      expect(await registry.compulsoryInsurance({ plate: '粤J12345', plateType: '02', date: '2027-01-01' })).toBeNull();
    });

    it('surfaces a wrong token, a scripted error and a hung registry distinctly', async () => {
      const wrongToken = new RegistryClient({ baseUrl: fakes.registry.url, token: 'nope', timeoutMs: 1_000 });
      await expect(wrongToken.vehicle({ plate: 'x', plateType: '02' })).rejects.toMatchObject({ code: 40101 });
      fakes.registry.failNext('vehicles', { body: { code: 50001, message: 'registry error' } });
      await expect(registry.vehicle({ plate: 'x', plateType: '02' })).rejects.toBeInstanceOf(RegistryApiError);
      fakes.registry.delay('vehicles', 300);
      const impatient = new RegistryClient({ baseUrl: fakes.registry.url, token: fakes.env.REGISTRY_TOKEN!, timeoutMs: 100 });
      await expect(impatient.vehicle({ plate: 'x', plateType: '02' })).rejects.toMatchObject({ reason: 'timeout' });
      await expect(impatient.vehicle({ plate: 'x', plateType: '02' })).rejects.toBeInstanceOf(UpstreamUnavailableError);
    });
  });

  describe('Tencent reverse geocoding', () => {
    it('names the street of a known place, and answers null where there is no result (347)', async () => {
      fakes.tencentMap.addPlace({ lat: 22.5790, lng: 113.0815, radiusM: 200, street: '江门大道中', district: '蓬江区', adcode: '440703' });
      const result = await map.reverseGeocode({ lat: 22.5795, lng: 113.0818 });
      expect(result?.address_component.street).toBe('江门大道中');
      expect(result?.ad_info.adcode).toBe('440703');
      expect(fakes.tencentMap.callsTo('geocoder')[0]!.query.location).toBe('22.5795,113.0818');
      expect(await map.reverseGeocode({ lat: 21.0, lng: 112.0 })).toBeNull();
    });

    it('reports a bad key (190) and an out-of-range latitude (365) as errors', async () => {
      const wrongKey = new TencentMapClient({ baseUrl: fakes.tencentMap.url, key: 'AAAAA-BBBBB-CCCCC', timeoutMs: 1_000 });
      await expect(wrongKey.reverseGeocode({ lat: 22.5, lng: 113 })).rejects.toMatchObject({ status: 190 });
      await expect(map.reverseGeocode({ lat: 95, lng: 113 })).rejects.toBeInstanceOf(TencentMapApiError);
    });
  });
});
