import { fetchJson, joinUrl } from '../http/fetch-json';
import {
  REGISTRY_CODE,
  type InsuranceQuery,
  type InsuranceRecord,
  type LicenceQuery,
  type LicenceRecord,
  type RegistryEnvelope,
  type VehicleQuery,
  type VehicleRecord,
} from './registry.types';

export class RegistryApiError extends Error {
  constructor(
    readonly code: number,
    readonly detail: string,
  ) {
    super(`registry code ${code}: ${detail}`);
    this.name = 'RegistryApiError';
  }
}

export interface RegistryClientOptions {
  baseUrl: string;
  token: string;
  timeoutMs: number;
}

/** Queries go by POST so that ID numbers and plates never sit in a URL (and so in an access log). */
export class RegistryClient {
  constructor(private readonly options: RegistryClientOptions) {}

  licence(query: LicenceQuery): Promise<LicenceRecord | null> {
    return this.query<LicenceRecord>('/v1/licences/query', query);
  }

  vehicle(query: VehicleQuery): Promise<VehicleRecord | null> {
    return this.query<VehicleRecord>('/v1/vehicles/query', query);
  }

  /** The 交强险 policy in force on `date`, or null when there is none. */
  compulsoryInsurance(query: InsuranceQuery): Promise<InsuranceRecord | null> {
    return this.query<InsuranceRecord>('/v1/insurance/query', query);
  }

  private async query<T>(path: string, body: unknown): Promise<T | null> {
    const envelope = await fetchJson<RegistryEnvelope<T>>(joinUrl(this.options.baseUrl, path), {
      service: 'registry',
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${this.options.token}` },
      timeoutMs: this.options.timeoutMs,
    });
    if (envelope.code === REGISTRY_CODE.NOT_FOUND) return null;
    if (envelope.code !== REGISTRY_CODE.OK || envelope.data === undefined) throw new RegistryApiError(envelope.code, envelope.message);
    return envelope.data;
  }
}
