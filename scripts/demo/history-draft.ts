/**
 * A case's draft: the reported place, the parties, the §13 answers and why it is refused at once, if
 * it is — the document as the report door writes it, before any event is applied.
 */
import { caseIdFor } from '../../server/src/cases/case-report.service';
import { CASE_RULES } from '../../server/src/eligibility/case-rules';
import { DEFAULT_CALENDAR } from '../../server/src/eligibility/hours';
import { GIVEN, HISTORY_KEY_PREFIX, INSURERS, SURNAMES, sec, type CaseInput, type Doc, type Random } from './history-params';

/** A point along one of the district's main roads (accidents happen on roads), jittered a few metres. */
function placeIn(random: Random, district: CaseInput['district']) {
  const road = random.pick(district.roads);
  const i = Math.floor(random.u() * (road.line.length - 1));
  const [a, b] = [road.line[i]!, road.line[i + 1] ?? road.line[i]!];
  const f = random.u();
  const jitter = () => (random.u() - 0.5) * 0.0008;
  return { lat: a[1] + (b[1] - a[1]) * f + jitter(), lng: a[0] + (b[0] - a[0]) * f + jitter(), address: `${district.name}${road.name}` };
}

/** 蓬江 of 江门市公安局交通警察支队蓬江大队, 台山 of 台山市公安局交通警察大队. */
export const shortName = (brigadeName: string) => (brigadeName.includes('支队') ? brigadeName.slice(-4, -2) : brigadeName.slice(0, 2));
/** A party as the case stores it (the insurer's code is the generator's own note). */
export const stored = ({ insurerCode: _, ...party }: { insurerCode: string } & Doc) => party;
const plate = (random: Random) => `粤J${Array.from({ length: 5 }, () => random.pick('ABCDEFGHJKLMNPQRSTUVWXYZ0123456789'.split(''))).join('')}`;
const personName = (random: Random) => random.pick(SURNAMES.split('')) + random.pick(GIVEN);

/** The draft of one case and what its later steps need (drawn in this order, so a seed gives the same case). */
export function draftCase(input: CaseInput) {
  const { random, reportedAt, brigade, district } = input;
  const key = `${HISTORY_KEY_PREFIX}${input.seed}-${input.n}`;
  const initiatorId = random.objectId(reportedAt);
  const _id = caseIdFor(String(initiatorId), key);
  const place = placeIn(random, district);
  const vehicleCount = random.chance(0.12) ? 3 : 2;
  const parties = Array.from({ length: vehicleCount }, (_, i) => {
    const insurer = random.pick(INSURERS);
    return {
      driverId: i === 0 ? initiatorId : random.objectId(reportedAt),
      label: 'ABC'[i]!,
      plate: plate(random),
      joinedAt: sec(reportedAt, i === 0 ? 0 : 15 + random.u() * 40),
      factsConfirmedAt: sec(reportedAt, i === 0 ? 0 : 20 + random.u() * 40),
      via: i === 0 ? 'report' : 'code',
      info: { driverName: personName(random), licenceNo: null, licenceNoSealed: null, plateType: '02', vehicleType: 'K33', insurer: insurer.name, policyNo: null, phone: null, confirmedAt: null },
      recordingConsentAt: null,
      insurerCode: insurer.code,
    };
  });
  const answers = { vehicleCount, motorVehiclesOnly: true, anyoneInjured: false, vehiclesDrivable: true, factsDisputed: false, unlicensedDriving: false, drinkOrDrugs: false, anyoneLeftScene: false };

  // Why a report is refused at once, if it is.
  const failed: Doc[] = [];
  if (!input.inHours) {
    failed.push({ rule: 'hours', ok: false, code: 'OUTSIDE_HOURS', reason: `视频快处服务时间为每日 ${DEFAULT_CALENDAR.opensAt}–${DEFAULT_CALENDAR.closesAt}`, alternatives: ['call_122', 'photo_quick_handling', 'self_settlement'], nextOpenAt: null });
  } else if (random.chance(0.05)) {
    const rule = random.pick(CASE_RULES.filter((r) => ['INJURY', 'NOT_DRIVABLE', 'FACTS_DISPUTED', 'TOO_MANY_VEHICLES', 'NOT_MOTOR_VEHICLES'].includes(r.code)), [0.3, 0.2, 0.2, 0.15, 0.15]);
    failed.push({ rule: 'case', ok: false, code: rule.code, reason: rule.reason, alternatives: [...rule.alternatives], nextOpenAt: null });
    if (rule.code === 'INJURY') answers.anyoneInjured = true;
    if (rule.code === 'NOT_DRIVABLE') answers.vehiclesDrivable = false;
    if (rule.code === 'FACTS_DISPUTED') answers.factsDisputed = true;
    if (rule.code === 'TOO_MANY_VEHICLES') answers.vehicleCount = 4;
    if (rule.code === 'NOT_MOTOR_VEHICLES') answers.motorVehiclesOnly = false;
  } else if (random.chance(0.01)) {
    failed.push({ rule: 'roads', ok: false, code: 'EXCLUDED_ROAD_NAME', reason: '事故地点在快速路上，不适用视频快处，请拨打 122', alternatives: ['call_122', 'officer_on_scene'], nextOpenAt: null });
  }

  const doc: Doc = {
    _id,
    state: 'draft',
    rev: 0,
    stateChangedAt: reportedAt,
    reportedAt,
    initiatorId,
    idempotencyKey: key,
    brigadeCode: brigade.code,
    districtAdcode: district.adcode,
    districtName: district.name,
    address: place.address,
    nearBorder: false,
    location: { lat: place.lat, lng: place.lng, accuracyM: Math.round(5 + random.u() * 25), reportedAs: 'gcj02', confirmedOnMap: false },
    answers,
    vehicleCount,
    parties: [stored(parties[0]!)],
    joinCode: input.joinCode(),
    joinCodeExpiresAt: sec(reportedAt, 1800),
    failed,
    queuedAt: null,
    requeued: false,
    answeredAt: null,
    answeredBy: { id: null, name: null },
    releasedAt: null,
    abandonedAt: null,
    handlingSeconds: null,
    facts: { occurredAt: null, place: null, directions: {}, impactPoints: {}, summary: null },
    shotRequests: [],
    scenarioTags: [],
    decision: null,
    deliveredAt: null,
    deliveries: [],
    reviewDeadline: null,
    review: null,
    supersedesCertificate: null,
    evidence: [],
    checks: [],
    redirect: { reason: null, alternatives: [] },
    recording: { state: 'off', resourceId: null, sid: null, files: [] },
    createdAt: reportedAt,
    updatedAt: reportedAt,
  };
  return { key, initiatorId, _id, place, vehicleCount, parties, failed, doc };
}
