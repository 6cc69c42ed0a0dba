import type { z } from 'zod';
import { Types } from 'mongoose';
import { checkEligibility, requireFreshSafetyCheck, type EligibilityServices } from '../eligibility';
import { isDuplicateKey } from '../platform/database';
import { AppError } from '../platform/errors';
import { loadCase, transition, type CaseSnapshot } from './case-revisions';
import { Case } from './case.model';
import type { CaseServices } from './case-services';
import { activeCaseOf } from './active-case';
import { createHash } from 'node:crypto';
import type { createCaseSchema } from './case.schemas';
import { newJoinCode } from './join-code';

type ReportInput = z.infer<typeof createCaseSchema>;

/** Join codes drawn before giving up (a collision is a one-in-millions event; several in a row is a fault). */
const CODE_ATTEMPTS = 5;

/**
 * The case's _id is derived from (reporter, Idempotency-Key): a retry, or a concurrent duplicate,
 * can only ever hit the same primary key — settled by the database on MongoDB and FerretDB alike,
 * and looked up by primary key rather than by a scan.
 */
export function caseIdFor(driverId: string, idempotencyKey: string): Types.ObjectId {
  return new Types.ObjectId(createHash('sha256').update(`${driverId}\u0000${idempotencyKey}`).digest().subarray(0, 12));
}

/**
 * A verified driver reports an accident. The server runs every eligibility rule itself (the phone's
 * earlier check is advice only) and the case is born `draft`, then moves by one row of the lifecycle:
 * `submit` → queued, or `refuse` → redirected with every failed verdict.
 * Retries are safe: a repeated or concurrent request with the same key finds the first one's case
 * (caseIdFor) — and finishes it if that request died midway.
 */
export async function reportCase(services: CaseServices & EligibilityServices, driverId: string, idempotencyKey: string, input: ReportInput): Promise<{ snapshot: CaseSnapshot; created: boolean }> {
  const caseId = caseIdFor(driverId, idempotencyKey);
  if (await Case.exists({ _id: caseId })) return { snapshot: await settleDraft(services, String(caseId)), created: false };

  const now = services.clock();
  const { SAFETY_CHECK_VALID_SECONDS, JOIN_CODE_TTL_SECONDS } = services.config;
  const safety = await requireFreshSafetyCheck(driverId, input.safetyCheckId, now, SAFETY_CHECK_VALID_SECONDS);
  const open = await activeCaseOf(driverId);
  if (open) throw new AppError(409, 'OPEN_CASE_EXISTS', '您有一起正在处理的事故，请继续处理该案件', { caseId: String(open._id) });

  const verdict = await checkEligibility(services, input.location, input.answers);
  if (verdict.eligible && verdict.needsMapConfirmation) {
    throw new AppError(422, 'LOCATION_UNCONFIRMED', '定位精度不够，请在地图上确认事故地点');
  }

  const draft = {
    _id: caseId,
    state: 'draft' as const,
    rev: 0,
    reportedAt: now,
    initiatorId: new Types.ObjectId(driverId),
    idempotencyKey,
    brigadeCode: verdict.brigadeCode,
    districtAdcode: verdict.place.district?.adcode ?? null,
    districtName: verdict.place.district?.name ?? '',
    address: verdict.place.address,
    nearBorder: verdict.place.nearBorder,
    location: { lat: verdict.place.lat, lng: verdict.place.lng, accuracyM: input.location.accuracyM, reportedAs: input.location.coordType, confirmedOnMap: Boolean(input.location.confirmedOnMap) },
    answers: input.answers,
    safety: { checkId: safety._id, confirmedAt: safety.confirmedAt },
    vehicleCount: input.answers.vehicleCount,
    parties: [{ driverId: new Types.ObjectId(driverId), label: 'A', plate: input.plate, joinedAt: now, factsConfirmedAt: now, via: 'report' as const }],
    joinCodeExpiresAt: new Date(now.getTime() + JOIN_CODE_TTL_SECONDS * 1000),
    failed: verdict.failed,
  };

  for (let attempt = 1; ; attempt++) {
    try {
      await Case.create({ ...draft, joinCode: newJoinCode() });
      // Just written, nothing can be pending on it: straight to its first event.
      return { snapshot: await settleDraft(services, String(caseId), draft), created: true };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // Either a concurrent request with the same key won (use its case) or the join code was taken.
      if (await Case.exists({ _id: caseId })) return { snapshot: await settleDraft(services, String(caseId)), created: false };
      if (attempt >= CODE_ATTEMPTS) throw err;
    }
  }
}

/** What settling a draft needs of it. */
interface DraftVerdict {
  initiatorId: unknown;
  failed?: { code?: string | null }[] | null;
}

/**
 * Moves a draft on by its verdicts; a draft another request already moved is simply read. `written`:
 * the draft this request has just inserted (nothing can be pending on it, so it is not read back).
 */
async function settleDraft(services: CaseServices & EligibilityServices, caseId: string, written?: DraftVerdict): Promise<CaseSnapshot> {
  let current: DraftVerdict;
  if (written) current = written;
  else {
    const stored = await loadCase(caseId);
    if (stored.state !== 'draft') return stored;
    current = stored;
  }
  const eligible = (current.failed ?? []).length === 0;
  try {
    return eligible
      ? await transition(caseId, 'submit', { kind: 'driver', id: String(current.initiatorId) }, { set: { queuedAt: services.clock() }, services })
      : await transition(caseId, 'refuse', { kind: 'system', id: null }, { reason: (current.failed ?? []).map((f) => f.code).join(','), services });
  } catch (err) {
    if (err instanceof AppError && err.status === 409) return loadCase(caseId);
    throw err;
  }
}
