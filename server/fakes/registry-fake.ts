import type Router from '@koa/router';
import type { Context } from 'koa';
import type { InsuranceRecord, LicenceRecord, VehicleRecord } from '../src/clients/registry/registry.types';
import { REGISTRY_CODE } from '../src/clients/registry/registry.types';
import { FakeService } from './fake-service';

const envelope = (code: number, message: string, data?: unknown) => ({ code, message, ...(data !== undefined ? { data } : {}) });

/** The licence / vehicle / 交强险 registry, with the records a test or the demo gives it. */
export class RegistryFake extends FakeService {
  private licences = new Map<string, LicenceRecord>();
  private vehicles = new Map<string, VehicleRecord>();
  private policies: InsuranceRecord[] = [];

  constructor(private readonly token: string) {
    super('registry');
  }

  addLicence(idNumber: string, record: LicenceRecord): void {
    this.licences.set(idNumber, record);
  }
  addVehicle(record: VehicleRecord): void {
    this.vehicles.set(`${record.plateType}:${record.plate}`, record);
  }
  addPolicy(record: InsuranceRecord): void {
    this.policies.push(record);
  }

  protected override resetState(): void {
    this.licences.clear();
    this.vehicles.clear();
    this.policies = [];
  }

  protected routes(router: Router): void {
    router.post('/v1/licences/query', this.api('licences', (ctx) => this.guarded(ctx, (b) => this.licence(b))));
    router.post('/v1/vehicles/query', this.api('vehicles', (ctx) => this.guarded(ctx, (b) => this.vehicle(b))));
    router.post('/v1/insurance/query', this.api('insurance', (ctx) => this.guarded(ctx, (b) => this.insurance(b))));
  }

  private guarded(ctx: Context, handle: (body: Record<string, unknown>) => unknown) {
    if (ctx.get('authorization') !== `Bearer ${this.token}`) {
      ctx.status = 401;
      return envelope(REGISTRY_CODE.UNAUTHORISED, 'unauthorised');
    }
    return handle((ctx.request as { body?: Record<string, unknown> }).body ?? {});
  }

  private licence(body: Record<string, unknown>) {
    if (typeof body.idNumber !== 'string' || !/^\d{17}[\dX]$/.test(body.idNumber)) return envelope(REGISTRY_CODE.BAD_REQUEST, 'idNumber invalid');
    const record = this.licences.get(body.idNumber);
    return record ? envelope(0, 'ok', record) : envelope(REGISTRY_CODE.NOT_FOUND, 'licence not found');
  }

  private vehicle(body: Record<string, unknown>) {
    if (typeof body.plate !== 'string' || typeof body.plateType !== 'string') return envelope(REGISTRY_CODE.BAD_REQUEST, 'plate and plateType required');
    const record = this.vehicles.get(`${body.plateType}:${body.plate}`);
    return record ? envelope(0, 'ok', record) : envelope(REGISTRY_CODE.NOT_FOUND, 'vehicle not found');
  }

  private insurance(body: Record<string, unknown>) {
    if (typeof body.plate !== 'string' || typeof body.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(body.date)) {
      return envelope(REGISTRY_CODE.BAD_REQUEST, 'plate and date (YYYY-MM-DD) required');
    }
    const date = body.date;
    const policy = this.policies.find((p) => p.plate === body.plate && p.validFrom <= date && date <= p.validUntil);
    return policy ? envelope(0, 'ok', policy) : envelope(REGISTRY_CODE.NOT_FOUND, 'no compulsory insurance in force on that date');
  }
}
