import { fetchJson, joinUrl } from '../http/fetch-json';
import type { LatLng, ReverseGeocodeBody, ReverseGeocodeResult } from './tencent-map.types';

export class TencentMapApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(`Tencent map status ${status}: ${detail}`);
    this.name = 'TencentMapApiError';
  }
}

export interface TencentMapClientOptions {
  baseUrl: string;
  key: string;
  timeoutMs: number;
}

/** Reverse geocoding: the street a GCJ-02 point is on. The only road signal it has is the street's name. */
export class TencentMapClient {
  constructor(private readonly options: TencentMapClientOptions) {}

  /** null when the service has no address for the point (status 347); throws on every other error. */
  async reverseGeocode(point: LatLng): Promise<ReverseGeocodeResult | null> {
    const url = joinUrl(this.options.baseUrl, '/ws/geocoder/v1/');
    url.searchParams.set('location', `${point.lat},${point.lng}`);
    url.searchParams.set('key', this.options.key);
    url.searchParams.set('get_poi', '0');
    const body = await fetchJson<ReverseGeocodeBody>(url, { service: 'tencent-map', timeoutMs: this.options.timeoutMs });
    if (body.status === 347) return null;
    if (body.status !== 0 || !body.result) throw new TencentMapApiError(body.status, body.message);
    return body.result;
  }
}
