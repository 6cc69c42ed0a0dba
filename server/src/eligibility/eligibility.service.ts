import type { CaseAnswers, EligibilityResponse, FailedVerdict, LocationInput, RuleVerdict } from '../../../typings/api/eligibility';
import { brigadeForDistrict } from '../brigades';
import type { TencentMapClient } from '../clients/tencent-map/tencent-map-client';
import type { PlatformServices } from '../platform/services';
import { checkCaseAnswers } from './case-rules';
import { checkHours } from './hours';
import { checkPlace } from './place';
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

/**
 * Runs every rule — hours, place, roads, case — and reports every failure at once, so a driver is not
 * sent round the loop once per reason. The reverse geocoder gives the address and the second road
 * signal; when it is down the check goes on with the road layer alone rather than strand the driver.
 */
export async function checkEligibility(services: EligibilityServices, location: LocationInput, answers: CaseAnswers): Promise<EligibilityResult> {
  const now = services.clock();
  const place = checkPlace(location);
  const here = place.point;
  const [brigade, geocoded, calendar, suspensions, roads] = await Promise.all([
    place.district ? brigadeForDistrict(place.district.adcode) : null,
    reverseGeocode(services, here),
    currentCalendar(),
    activeSuspensions(now),
    currentRoadIndex(),
  ]);

  const failed: FailedVerdict[] = [];
  const add = (rule: FailedVerdict['rule'], verdict: RuleVerdict) => {
    if (!verdict.ok) failed.push({ rule, ...stripPlace(verdict) });
  };
  add('hours', checkHours(now, calendar, suspensions, brigade?.code ?? null));
  add('place', place);
  if (place.ok && !brigade) {
    // A district no brigade answers for is a set-up fault; the driver still needs a way forward.
    services.logger.error({ adcode: place.district?.adcode }, 'no brigade answers for this district');
    add('place', { ok: false, code: 'NO_BRIGADE', reason: '该地区暂未开通视频快处，请拨打 122', alternatives: ['call_122', 'self_settlement'] });
  }
  add('roads', checkRoads({ ...here, street: geocoded?.street ?? null, address: geocoded?.address ?? null }, roads.index, {
    bufferM: services.config.ROAD_BUFFER_M,
    excludedNamePatterns: services.config.EXCLUDED_ROAD_NAME_PATTERNS ?? DEFAULT_EXCLUDED_NAME_PATTERNS,
  }));
  for (const verdict of checkCaseAnswers(answers)) add('case', verdict);

  return {
    eligible: failed.length === 0,
    failed,
    place: {
      ...here,
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
