import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import distance from '@turf/distance';
import type { FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import type { ReverseGeocodeResult } from '../src/clients/tencent-map/tencent-map.types';

const DATA = join(__dirname, 'data', 'jiangmen-gazetteer.json');
const DISTRICTS = join(__dirname, '..', 'data', 'jiangmen-districts.geojson');

/** Farther than this from every listed road, the answer names the district only (as on a country lane). */
export const STREET_REACH_M = 1500;
/** Points are laid along each road this far apart, so "nearest point" is close to "nearest road". */
const STEP_M = 40;

interface GazetteerFile {
  districts: { adcode: string; name: string; roads: { name: string; line: Position[] }[] }[];
}

interface District {
  adcode: string;
  name: string;
  area: FeatureCollection<Polygon | MultiPolygon>['features'][number];
  center: { lat: number; lng: number };
  roads: { name: string; points: Position[] }[];
}

/**
 * A small reverse geocoder for the demo: which Jiangmen district a GCJ-02 point is in (the district
 * outlines the server routes by) and the nearest listed main road of that district.
 */
export class JiangmenGazetteer {
  private constructor(private readonly districts: District[]) {}

  static load(file = DATA): JiangmenGazetteer {
    const data = JSON.parse(readFileSync(file, 'utf8')) as GazetteerFile;
    const outlines = JSON.parse(readFileSync(DISTRICTS, 'utf8')) as FeatureCollection<Polygon | MultiPolygon, { adcode: string; center: [number, number] }>;
    return new JiangmenGazetteer(
      data.districts.map((d) => {
        const area = outlines.features.find((f) => f.properties.adcode === d.adcode);
        if (!area) throw new Error(`gazetteer: no district outline for ${d.adcode}`);
        const [lng, lat] = area.properties.center;
        return { adcode: d.adcode, name: d.name, area, center: { lat, lng }, roads: d.roads.map((r) => ({ name: r.name, points: densify(r.line) })) };
      }),
    );
  }

  /** The district and nearest road of a point, or null outside Jiangmen. */
  lookup(lat: number, lng: number): ReverseGeocodeResult | null {
    const here: Position = [lng, lat];
    const district = this.districts.find((d) => booleanPointInPolygon(here, d.area));
    if (!district) return null;
    let best: { name: string; at: Position; m: number } | null = null;
    for (const road of district.roads) {
      for (const at of road.points) {
        const m = distance(here, at, { units: 'meters' });
        if (!best || m < best.m) best = { name: road.name, at, m };
      }
    }
    const road = best && best.m <= STREET_REACH_M ? best : null;
    const street = road?.name ?? '';
    return {
      location: { lat, lng },
      address: `广东省江门市${district.name}${street}`,
      formatted_addresses: { recommend: `${district.name}${street}`, rough: `${district.name}${street}` },
      address_component: { nation: '中国', province: '广东省', city: '江门市', district: district.name, street, street_number: '' },
      ad_info: {
        nation_code: '156',
        adcode: district.adcode,
        city_code: '156440700',
        name: `中国,广东省,江门市,${district.name}`,
        location: district.center,
        province: '广东省',
        city: '江门市',
        district: district.name,
      },
      ...(road ? { address_reference: { street: { title: road.name, location: { lat: road.at[1]!, lng: road.at[0]! }, _distance: Math.round(road.m), _dir_desc: '附近' } } } : {}),
    };
  }

  /** Every road, as the walk and the tests pick demo places from it. */
  roads(): { district: string; adcode: string; name: string; points: Position[] }[] {
    return this.districts.flatMap((d) => d.roads.map((r) => ({ district: d.name, adcode: d.adcode, name: r.name, points: r.points })));
  }
}

/** The line's vertices plus points every STEP_M between them. */
function densify(line: Position[]): Position[] {
  const out: Position[] = [];
  line.forEach((to, i) => {
    const from = line[i - 1];
    if (from) {
      const steps = Math.max(1, Math.ceil(distance(from, to, { units: 'meters' }) / STEP_M));
      for (let s = 1; s < steps; s++) out.push([from[0]! + ((to[0]! - from[0]!) * s) / steps, from[1]! + ((to[1]! - from[1]!) * s) / steps]);
    }
    out.push(to);
  });
  return out;
}
