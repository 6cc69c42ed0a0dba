import type { Alternative, RuleVerdict } from '../../../typings/api/eligibility';
import type { RoadHit, RoadIndex } from './road-index';
import type { RoadClass } from './road-layer';

/**
 * Rule: the accident is not on an expressway and not on 江门大道, where stopping to film the scene
 * puts people in fast traffic. Two independent signals, either refuses:
 * 1. the ops-uploaded road layer: a GCJ-02 point within `bufferM` of an excluded line;
 * 2. the reverse geocoder's street (or address) matching an excluded name.
 * The layer catches what the geocoder names wrongly (it may name a side street), and the name catches
 * roads missing from the layer.
 */
export interface RoadCheckInput {
  lat: number;
  lng: number;
  /** from reverse geocoding, null when unavailable */
  street: string | null;
  address: string | null;
}

export interface RoadCheckOptions {
  bufferM: number;
  excludedNamePatterns: readonly RegExp[];
}

/**
 * What the notice excludes, and no more (each extra pattern refuses drivers on ordinary roads):
 * - `高速`: every expressway name — 高速公路, 沈海高速, G15沈海高速, 江珠高速 …;
 * - `江门大道`: 江门大道 and its 北/中/南 sections;
 * - a street that *is* an expressway number: G or S with 1–2 or 4 digits (GB/T 917: G15, G1501, S32).
 *   Three digits are ordinary 国道/省道 (G325, S270), which stay eligible; anchored to the start so
 *   an address ("…G15号铺") cannot match. 快速路 is not excluded by the notice, so it is not here.
 */
export const DEFAULT_EXCLUDED_NAME_PATTERNS: readonly RegExp[] = [/高速/, /江门大道/, /^[GS](?:\d{1,2}|\d{4})(?!\d)/];

/** Whoever is refused here needs an officer at the scene: fast traffic, no filming from the carriageway. */
const ALTERNATIVES: Alternative[] = ['call_122', 'officer_on_scene'];

// 《道路交通安全法实施条例》§60: the warning sign 50–100 m behind, 150 m on an expressway.
const ON_EXPRESSWAY_ADVICE = '请开启危险报警闪光灯，在来车方向 150 米以外设置警告标志，所有人员立即转移到护栏外，不要在车道上停留或拍摄，并拨打 122 报警，由交警到场处理';
const ON_FAST_ROAD_ADVICE = '请开启危险报警闪光灯，在来车方向 50 至 100 米处设置警告标志，人员撤到护栏外或路边安全处，不要在车道上停留或拍摄，并拨打 122 报警，由交警到场处理';

/** The verdict, with the layer's road that refused the point (the ops probe shows its name and distance). */
export interface RoadVerdict extends RuleVerdict {
  road?: RoadHit;
}

export function checkRoads(input: RoadCheckInput, index: RoadIndex, options: RoadCheckOptions): RoadVerdict {
  const hit = index.nearestWithin(input.lat, input.lng, options.bufferM);
  if (hit) {
    return {
      ok: false,
      code: 'ON_EXCLUDED_ROAD',
      reason: `事故地点在${hit.name}上，${describe(hit.class)}不适用视频快处。${advice(hit.class)}`,
      alternatives: [...ALTERNATIVES],
      road: hit,
    };
  }

  const named = matchName(input, options.excludedNamePatterns);
  if (named) {
    const expressway = /高速|^[GS]\d/.test(named);
    return {
      ok: false,
      code: 'EXCLUDED_ROAD_NAME',
      reason: `定位显示事故地点在${named}，${expressway ? '高速公路上的事故' : '该道路上的事故'}不适用视频快处。${expressway ? ON_EXPRESSWAY_ADVICE : ON_FAST_ROAD_ADVICE}。如定位有误，请在地图上确认事故位置后重试`,
      alternatives: [...ALTERNATIVES],
    };
  }

  return { ok: true, code: 'NOT_ON_EXCLUDED_ROAD', reason: '事故地点不在高速公路或江门大道上', alternatives: [] };
}

/** The street when it matches, else the address: what the driver recognises as where they are. */
function matchName(input: RoadCheckInput, patterns: readonly RegExp[]): string | null {
  for (const text of [input.street, input.address]) {
    const value = text?.trim();
    if (value && patterns.some((p) => matches(p, value))) return value;
  }
  return null;
}

/** A /g or /y pattern keeps state between test() calls; reset it so every check starts fresh. */
function matches(pattern: RegExp, text: string): boolean {
  pattern.lastIndex = 0;
  return pattern.test(text);
}

function describe(roadClass: RoadClass): string {
  if (roadClass === 'expressway') return '高速公路上的事故';
  if (roadClass === 'urban_expressway') return '城市快速路上的事故';
  return '该道路上的事故';
}

function advice(roadClass: RoadClass): string {
  return `${roadClass === 'expressway' ? ON_EXPRESSWAY_ADVICE : ON_FAST_ROAD_ADVICE}。`;
}
