import pointOnFeature from '@turf/point-on-feature';
import { DISTRICTS } from '../../server/src/brigades/districts';
import type { CaseAnswers } from '../../typings/api/eligibility';

/** The same sample report for tests, the demo walk, the chaos and load runs. */

/** A GCJ-02 point inside the district (a point on its surface, as turf picks it). */
export function pointIn(adcode: string): { lat: number; lng: number } {
  const district = DISTRICTS.find((d) => d.adcode === adcode);
  if (!district) throw new Error(`no district ${adcode}`);
  const [lng, lat] = pointOnFeature(district.area).geometry.coordinates as [number, number];
  return { lat, lng };
}

/** 蓬江区 (JM-PJ's area), well away from the demo excluded roads. */
export const PENGJIANG = pointIn('440703');

/** Answers that qualify for video quick handling. */
export const QUALIFYING_ANSWERS: CaseAnswers = {
  vehicleCount: 2,
  motorVehiclesOnly: true,
  anyoneInjured: false,
  vehiclesDrivable: true,
  factsDisputed: false,
  unlicensedDriving: false,
  drinkOrDrugs: false,
  anyoneLeftScene: false,
};
