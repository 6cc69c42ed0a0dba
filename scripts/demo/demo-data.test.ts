import { plateSchema } from '../../server/src/cases/case.schemas';
import { checkIdNumber } from '../../server/src/identity/id-number';
import { startFakes, type RunningFakes } from '../../server/fakes';
import { DEMO_ACCOUNTS, DEMO_DRIVERS, DEMO_PERSON } from './demo-data';
import { loadDemoFakes } from './demo-fakes';

describe('the demo data', () => {
  it('has at least three demo drivers with distinct, well-formed (made-up) identities, phones and plates', () => {
    expect(DEMO_DRIVERS.length).toBeGreaterThanOrEqual(3);
    for (const d of DEMO_DRIVERS) {
      expect(checkIdNumber(d.idNumber)).toMatchObject({ ok: true });
      expect(plateSchema.parse(d.plate)).toBe(d.plate);
      expect(d.phone).toMatch(/^1[3-9]\d{9}$/);
    }
    for (const key of ['openid', 'idNumber', 'phone', 'plate', 'policyNo'] as const) {
      expect(new Set([...DEMO_DRIVERS.map((d) => d[key]), DEMO_PERSON[key as 'idNumber'] ?? null]).size).toBe(DEMO_DRIVERS.length + 1);
    }
  });

  it('has a city-level reviewer beside the dispatcher, officer and ops', () => {
    expect(DEMO_ACCOUNTS.map((a) => [a.role, a.brigadeCode])).toEqual([
      ['dispatcher', 'JM-PJ'],
      ['officer', 'JM-PJ'],
      ['reviewer', null],
      ['ops', null],
    ]);
  });

  describe('in the fakes', () => {
    let fakes: RunningFakes;
    beforeAll(async () => {
      fakes = await startFakes();
    });
    afterAll(() => fakes.stop());

    const query = async (path: string, body: unknown) => {
      const res = await fetch(`${fakes.registry.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${fakes.env.REGISTRY_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return (await res.json()) as { code: number; data?: Record<string, unknown> };
    };

    it('gives every demo driver a licence, a car and a 交强险 policy in force on the day the demo starts, and the map its roads', async () => {
      const someDay = new Date('2027-03-15T08:00:00+08:00');
      loadDemoFakes(fakes, someDay);
      for (const d of DEMO_DRIVERS) {
        expect(await query('/v1/licences/query', { idNumber: d.idNumber })).toMatchObject({ code: 0, data: { name: d.name, status: 'valid' } });
        expect(await query('/v1/vehicles/query', { plate: d.plate, plateType: '02' })).toMatchObject({ code: 0, data: { ownerName: d.name, status: 'normal' } });
        expect(await query('/v1/insurance/query', { plate: d.plate, date: '2027-03-15' })).toMatchObject({ code: 0, data: { policyNo: d.policyNo, insurer: d.insurer } });
      }
      const geocoded = await fetch(`${fakes.tencentMap.url}/ws/geocoder/v1/?location=22.595,113.077&key=${fakes.env.TENCENT_MAP_KEY}`);
      expect(await geocoded.json()).toMatchObject({ status: 0, result: { address_component: { district: '蓬江区', street: '建设路' } } });
    });
  });
});
