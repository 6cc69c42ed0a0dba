import { randomUUID } from 'node:crypto';
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { ReverseGeocodeResult } from '../src/clients/tencent-map/tencent-map.types';
import { FakeService } from './fake-service';
import { JiangmenGazetteer } from './gazetteer';

/** A street the fake knows: points within `radiusM` of (lat, lng) are "on" it. */
export interface FakePlace {
  lat: number;
  lng: number;
  radiusM: number;
  street: string;
  streetNumber?: string;
  district: string;
  adcode: string;
}

const status = (code: number, message: string) => ({ status: code, message, request_id: randomUUID() });

/** Tencent location service reverse geocoding (`/ws/geocoder/v1/`), GCJ-02, latitude first. */
export class TencentMapFake extends FakeService {
  private places: FakePlace[] = [];
  /** The demo's road list (off in tests, which place exactly the streets they need). */
  private gazetteer: JiangmenGazetteer | null = null;

  constructor(private readonly key: string) {
    super('tencent-map');
  }

  addPlace(place: FakePlace): void {
    this.places.push(place);
  }

  /**
   * Answer every point inside Jiangmen with its district and nearest main road (server/fakes/data/
   * jiangmen-gazetteer.json); places added with addPlace still win. Survives reset(): it is set-up.
   */
  useGazetteer(gazetteer: JiangmenGazetteer = JiangmenGazetteer.load()): void {
    this.gazetteer = gazetteer;
  }

  protected override resetState(): void {
    this.places = [];
  }

  protected routes(router: Router): void {
    router.get('/ws/geocoder/v1', this.api('geocoder', (ctx) => this.geocode(ctx)));
    router.get('/ws/geocoder/v1/', this.api('geocoder', (ctx) => this.geocode(ctx)));
  }

  protected override controlRoutes(router: Router): void {
    router.post('/tencent-map/places', (ctx) => {
      this.addPlace((ctx.request as { body?: FakePlace }).body as FakePlace);
      ctx.body = { ok: true };
    });
  }

  private geocode(ctx: Context) {
    const { key, location } = ctx.query;
    if (typeof key !== 'string' || key.length < 8) return status(311, 'key格式错误');
    if (key !== this.key) return status(190, '无效的key');
    const match = typeof location === 'string' ? /^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/.exec(location) : null;
    if (!match) return status(348, '参数错误');
    const lat = Number(match[1]);
    const lng = Number(match[2]);
    if (Math.abs(lat) > 90) return status(365, 'lat<纬度>参数超出范围');
    if (Math.abs(lng) > 180) return status(366, 'lng<经度>参数超出范围');

    const place = this.nearestPlace(lat, lng);
    if (place) return { ...status(0, 'query ok'), result: toResult(lat, lng, place) };
    const found = this.gazetteer?.lookup(lat, lng);
    if (found) return { ...status(0, 'query ok'), result: found };
    return status(347, '查询无结果');
  }

  private nearestPlace(lat: number, lng: number): FakePlace | null {
    let best: { place: FakePlace; d: number } | null = null;
    for (const place of this.places) {
      const d = metresBetween(lat, lng, place.lat, place.lng);
      if (d <= place.radiusM && (!best || d < best.d)) best = { place, d };
    }
    return best?.place ?? null;
  }
}

function toResult(lat: number, lng: number, place: FakePlace): ReverseGeocodeResult {
  const address = `广东省江门市${place.district}${place.street}${place.streetNumber ?? ''}`;
  return {
    location: { lat, lng },
    address,
    formatted_addresses: { recommend: `${place.district}${place.street}`, rough: `${place.district}${place.street}` },
    address_component: { nation: '中国', province: '广东省', city: '江门市', district: place.district, street: place.street, street_number: place.streetNumber ?? '' },
    ad_info: {
      nation_code: '156',
      adcode: place.adcode,
      city_code: '156440700',
      name: `中国,广东省,江门市,${place.district}`,
      location: { lat: place.lat, lng: place.lng },
      province: '广东省',
      city: '江门市',
      district: place.district,
    },
    address_reference: {
      street: { title: place.street, location: { lat: place.lat, lng: place.lng }, _distance: Math.round(metresBetween(lat, lng, place.lat, place.lng)), _dir_desc: '' },
    },
  };
}

/** Great-circle distance; plenty for a fake's "is it near" question. */
function metresBetween(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lng2 - lng1) * rad) / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(a));
}
