import type { CaseAnswers, EligibilityResponse, EligibilityRule, FailedVerdict, LocationInput, RuleVerdict } from '../../../typings/api/eligibility';
import { brigadeForDistrict } from '../brigades';
import type { TencentMapClient } from '../clients/tencent-map/tencent-map-client';
import type { PlatformServices } from '../platform/services';
import { checkCaseAnswers } from './case-rules';
import { checkHours } from './hours';
import { checkPlace, type PlaceInput, type PlaceVerdict } from './place';
import type { RoadHit } from './road-index';
import { checkRoads, DEFAULT_EXCLUDED_NAME_PATTERNS } from './roads';
import { currentRoadIndex } from './road-layer.service';
import { activeSuspensions, currentCalendar } from './service-calendar.service';

/** The eligibility rules need the reverse geocoder beside the platform. */
export interface EligibilityServices extends PlatformServices {
  tencentMap: TencentMapClient;
}

/** The rules' verdict; the open cases nearby (the join offer) are the case module's to add. */
export interface EligibilityResult extends Omit<EligibilityResponse, 'nearbyOpenCases'> {
  brigadeCode: string | null;
}

/** A rule's verdict, passed or not, under the rule group that gave it. */
export interface RuleRun {
  rule: Exclude<EligibilityRule, 'case'>;
  verdict: RuleVerdict;
}

/** The rules about where and when, run for one point: what the driver's check and the ops probe share. */
export interface LocationRulesRun {
  now: Date;
  place: PlaceVerdict;
  brigade: { code: string; name: string; dutyPhone?: string | null } | null;
  geocoded: { street: string | null; address: string } | null;
  /** Every verdict, passed ones too, in rule order: hours, place (and NO_BRIGADE), roads. */
  runs: RuleRun[];
  /** The excluded road that refused the point, when the layer did. */
  road: RoadHit | null;
  roads: Awaited<ReturnType<typeof currentRoadIndex>>;
}

/**
 * Runs the hours, place and road rules for a point. The reverse geocoder gives the address and the
 * second road signal; when it is down the check goes on with the road layer alone rather than strand
 * the driver.
 */
export async function runLocationRules(services: EligibilityServices, location: PlaceInput): Promise<LocationRulesRun> {
  const now = services.clock();
  const place = checkPlace(location);
  const here = place.point;
  const [brigade, geocoded, calendar, suspensions, roads] = await Promise.all([
    place.district ? brigadeForDistrict(place.district.adcode) : null,
    reverseGeocode(services, here),
    currentCalendar(),
    activeSuspensions(now),
    currentRoadIndex({ bufferM: services.config.ROAD_BUFFER_M }),
  ]);

  const runs: RuleRun[] = [];
  runs.push({ rule: 'hours', verdict: checkHours(now, calendar, suspensions, brigade?.code ?? null) });
  runs.push({ rule: 'place', verdict: place });
  if (place.ok && !brigade) {
    // A district no brigade answers for is a set-up fault; the driver still needs a way forward.
    services.logger.error({ adcode: place.district?.adcode }, 'no brigade answers for this district');
    runs.push({ rule: 'place', verdict: { ok: false, code: 'NO_BRIGADE', reason: '该地区暂未开通视频快处，请拨打 122', alternatives: ['call_122', 'self_settlement'] } });
  }
  const onRoad = checkRoads({ ...here, street: geocoded?.street ?? null, address: geocoded?.address ?? null }, roads.index, {
    bufferM: services.config.ROAD_BUFFER_M,
    excludedNamePatterns: services.config.EXCLUDED_ROAD_NAME_PATTERNS ?? DEFAULT_EXCLUDED_NAME_PATTERNS,
  });
  runs.push({ rule: 'roads', verdict: onRoad });
  return { now, place, brigade, geocoded, runs, road: onRoad.road ?? null, roads };
}

/**
 * Runs every rule — hours, place, roads, case — and reports every failure at once, so a driver is not
 * sent round the loop once per reason.
 */
export async function checkEligibility(services: EligibilityServices, location: LocationInput, answers: CaseAnswers): Promise<EligibilityResult> {
  const { now, place, brigade, geocoded, runs } = await runLocationRules(services, location);
  const failed: FailedVerdict[] = [...runs, ...checkCaseAnswers(answers).map((verdict) => ({ rule: 'case' as const, verdict }))]
    .filter(({ verdict }) => !verdict.ok)
    .map(({ rule, verdict }) => ({ rule, ...stripPlace(verdict) }));

  return {
    eligible: failed.length === 0,
    failed,
    place: {
      ...place.point,
      address: geocoded?.address ?? '',
      district: place.district,
      brigade: brigade ? { code: brigade.code, name: brigade.name, dutyPhone: brigade.dutyPhone ?? null } : null,
      nearBorder: place.nearBorder,
      convertedFromWgs84: place.convertedFromWgs84,
    },
    needsMapConfirmation: location.accuracyM > services.config.GPS_ACCURACY_CONFIRM_M && !location.confirmedOnMap,
    checkedAt: now.toISOString(),
    brigadeCode: brigade?.code ?? null,
  };
}

async function reverseGeocode(services: EligibilityServices, here: { lat: number; lng: number }) {
  try {
    const result = await services.tencentMap.reverseGeocode(here);
    if (!result) return null;
    const address = result.formatted_addresses?.recommend ? `${result.address_component.district}${result.formatted_addresses.recommend.replace(result.address_component.district, '')}` : result.address;
    return { street: result.address_component.street || null, address: address || result.address };
  } catch (err) {
    services.logger.warn({ err }, 'reverse geocoding failed: checking roads by the layer alone');
    return null;
  }
}

/** A place verdict carries routing details the driver-facing list does not need. */
function stripPlace(verdict: RuleVerdict): RuleVerdict {
  const { ok, code, reason, alternatives, nextOpenAt } = verdict;
  return nextOpenAt === undefined ? { ok, code, reason, alternatives } : { ok, code, reason, alternatives, nextOpenAt };
}
