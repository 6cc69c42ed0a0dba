import { DateTime } from 'luxon';
import type { EligibilityProbeResponse, ProbeRoad, ProbeVerdict } from '../../../typings/api/roads';
import { runLocationRules, type EligibilityServices, type RuleRun } from './eligibility.service';
import type { PlaceInput } from './place';
import type { RoadHit } from './road-index';

/**
 * "Would a report here be accepted, and which brigade gets it?" for ops clicking the map. It runs the
 * very rules the driver's check runs (runLocationRules), so the answer cannot drift from what a driver
 * standing there is told; only the accident's own answers are left out, they are the driver's.
 */

/** How far to look for the nearest excluded road to show beside the verdict (the rule looks only within its buffer). */
export const NEAREST_ROAD_SEARCH_M = 3_000;

const TITLES: Record<RuleRun['rule'], string> = { hours: '服务时间', place: '服务范围（辖区）', roads: '排除道路' };

export async function probeEligibility(services: EligibilityServices, input: PlaceInput): Promise<EligibilityProbeResponse> {
  const { now, place, brigade, geocoded, runs, road, roads } = await runLocationRules(services, input);
  const bufferM = services.config.ROAD_BUFFER_M;
  const nearest = roads.index.nearestWithin(place.point.lat, place.point.lng, NEAREST_ROAD_SEARCH_M);

  const verdicts: ProbeVerdict[] = runs.map(({ rule, verdict }) => ({
    rule,
    title: TITLES[rule],
    ok: verdict.ok,
    code: verdict.code,
    reason: verdict.reason,
    detail: detailFor(rule, verdict.code, { now, nearest, road, bufferM, geocodedStreet: geocoded?.street ?? null }),
  }));
  const failed = verdicts.filter((v) => !v.ok);
  const placeAccepted = failed.every((v) => v.rule === 'hours');
  const brigadeView = brigade ? { code: brigade.code, name: brigade.name, dutyPhone: brigade.dutyPhone ?? null } : null;

  return {
    accepted: failed.length === 0,
    placeAccepted,
    summary: summarize(failed, brigadeView?.name ?? null, placeAccepted, road),
    lat: place.point.lat,
    lng: place.point.lng,
    address: geocoded?.address || null,
    district: place.district,
    brigade: brigadeView,
    nearBorder: place.nearBorder,
    convertedFromWgs84: place.convertedFromWgs84,
    verdicts,
    road: road ? toProbeRoad(road) : null,
    nearestRoad: nearest ? toProbeRoad(nearest) : null,
    bufferM,
    layerVersion: roads.summary.version,
    checkedAt: now.toISOString(),
  };
}

const toProbeRoad = (hit: RoadHit): ProbeRoad => ({ name: hit.name, class: hit.class, distanceM: Math.round(hit.distanceM * 10) / 10 });

const metres = (m: number) => (m >= 1000 ? `${(m / 1000).toFixed(1)} 公里` : `${Math.round(m)} 米`);

function detailFor(
  rule: RuleRun['rule'],
  code: string,
  at: { now: Date; nearest: RoadHit | null; road: RoadHit | null; bufferM: number; geocodedStreet: string | null },
): string | null {
  if (rule === 'hours') return `按北京时间 ${DateTime.fromJSDate(at.now, { zone: 'Asia/Shanghai' }).toFormat('yyyy-MM-dd HH:mm')} 判断`;
  if (rule !== 'roads') return null;
  if (at.road) return `距「${at.road.name}」中心线 ${metres(at.road.distanceM)}，在 ${at.bufferM} 米缓冲范围内`;
  if (code === 'EXCLUDED_ROAD_NAME') return `路网图层未命中（缓冲 ${at.bufferM} 米），按逆地址解析的道路名${at.geocodedStreet ? `「${at.geocodedStreet}」` : ''}排除`;
  if (at.nearest) return `最近的排除道路「${at.nearest.name}」距此 ${metres(at.nearest.distanceM)}，在 ${at.bufferM} 米缓冲范围外`;
  return `${metres(NEAREST_ROAD_SEARCH_M)}内没有排除道路`;
}

/** One line above the verdicts, which carry the reasons in full: what failed, and whose area it is. */
function summarize(failed: ProbeVerdict[], brigadeName: string | null, placeAccepted: boolean, road: RoadHit | null): string {
  const failedRules = failed.map((v) => (v.rule === 'roads' && road ? `${v.title}（${road.name}）` : v.title)).join('、');
  if (failed.length === 0) return `可以受理，由${brigadeName ?? '（无大队）'}处理`;
  if (placeAccepted) return `此处可以受理，由${brigadeName ?? '（无大队）'}处理；但现在不受理：${failedRules}不通过`;
  return `不予受理：${failedRules}不通过`;
}
