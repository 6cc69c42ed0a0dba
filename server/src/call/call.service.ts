import { randomUUID } from 'node:crypto';
import type { AccidentFacts, CheckResult, PartyInfoUpdate, RedirectRequest, ShotRequest, ShotRequestCreate } from '../../../typings/api/call';
import { edit, loadCase, transition, type CaseSnapshot, type EditChanges, type TransitionActor, type CaseEditKind, recordHandlingTime, isOnCall } from '../cases';
import { sealedIdNumberOf } from '../identity';
import { AppError, badRequest, tooManyRequests } from '../platform/errors';
import { maskIdNumber } from '../platform/mask';
import type { CallServices } from './call-services';
import { runPartyChecks } from './registry-checks';
import { releaseBlockers } from './release-rules';
import { SHOT_INSTRUCTIONS } from './shot-checklist';
import { notifyParties } from './notices';


/**
 * An edit that leaves the state as it is, allowed by its row of the edits table (lifecycle.ts);
 * recorded in the case history as what it changed. Limited per person and per case: a script hammering one case slows nobody else.
 */
async function editCase(services: CallServices, caseId: string, kind: CaseEditKind, actor: TransitionActor, changes: (c: CaseSnapshot) => EditChanges) {
  const perMinute = services.config.CASE_EDIT_MAX_PER_MINUTE;
  const wait = await services.editLimiter.take([`user:${actor.id ?? actor.kind}`, perMinute], [`case:${caseId}`, perMinute * 2]);
  if (wait > 0) throw tooManyRequests('EDIT_RATE_LIMITED', `操作太频繁，请 ${wait} 秒后再试`, wait);
  return edit(caseId, kind, actor, changes, services);
}

/** The list index of party `label`, or 400 when the case has no such party. */
function partyIndex(c: CaseSnapshot, label: string): number {
  const index = c.parties.findIndex((p) => p.label === label);
  if (index < 0) throw badRequest(`没有 ${label} 车`);
  return index;
}

/** The first evidence action of a call moves it from `in_call` to `collecting` (a lifecycle row). */
async function startCollecting(services: CallServices, caseId: string, actor: TransitionActor): Promise<void> {
  const current = await loadCase(caseId);
  if (current.state !== 'in_call') return;
  await transition(caseId, 'start_collecting', actor, { services }).catch((err: unknown) => {
    // Someone else moved it first: fine.
    if (!(err instanceof AppError && err.status === 409)) throw err;
  });
}

/** Queued → in_call for exactly one dispatcher; the others hear it was taken. */
export async function answerCase(services: CallServices, caseId: string, actor: TransitionActor, name: string): Promise<CaseSnapshot> {
  const now = services.clock();
  const answered = await transition(caseId, 'answer', actor, {
    check: (current) => {
      if (current.state !== 'queued') {
        throw new AppError(409, 'ALREADY_ANSWERED', isOnCall(current.state) ? '该案件已被其他接警员接听' : '该案件已不在排队中');
      }
    },
    set: { answeredAt: now, answeredBy: { id: actor.id, name } },
    services,
  });
  void notifyParties(services, answered, 'case_answered');
  return answered;
}

export function consentToRecording(services: CallServices, caseId: string, party: string, driverId: string) {
  const now = services.clock();
  return editCase(services, caseId, 'recording_consent', { kind: 'driver', id: driverId }, (c) => {
    const index = partyIndex(c, party);
    // Consent is given once; asking again keeps the first time.
    return c.parties[index]!.recordingConsentAt ? {} : { setPaths: { [`parties.${index}.recordingConsentAt`]: now } };
  });
}

const INFO_FIELDS = ['driverName', 'licenceNo', 'plateType', 'vehicleType', 'insurer', 'policyNo', 'phone'] as const;

/**
 * Party information, written by the dispatcher or by the party. A party's confirmation covers what it
 * saw: any later change clears it, so what is confirmed is always what is stored.
 */
export async function updatePartyInfo(services: CallServices, caseId: string, party: string, update: PartyInfoUpdate, actor: TransitionActor): Promise<CaseSnapshot> {
  const now = services.clock();
  if (actor.kind !== 'driver') await startCollecting(services, caseId, actor);
  return editCase(services, caseId, actor.kind === 'driver' ? 'party_info_by_party' : 'party_info', actor, (c) => {
    const index = partyIndex(c, party);
    const p = c.parties[index]!;
    const info = { ...(p.info ?? {}) } as Record<string, unknown>;
    let changed = false;
    for (const field of INFO_FIELDS) {
      if (update[field] === undefined) continue;
      if (field === 'licenceNo') {
        // The licence number is the holder's ID number: kept sealed, shown masked.
        if (update.licenceNo === null) {
          if (info.licenceNoSealed) changed = true;
          info.licenceNo = null;
          info.licenceNoSealed = null;
          continue;
        }
        const plain = update.licenceNo!.toUpperCase();
        const current = typeof info.licenceNoSealed === 'string' ? services.idCipher.open(info.licenceNoSealed) : null;
        if (plain === current) continue;
        info.licenceNoSealed = services.idCipher.seal(plain);
        info.licenceNo = maskIdNumber(plain);
        changed = true;
      } else if (update[field] !== info[field]) {
        info[field] = update[field];
        changed = true;
      }
    }
    if (changed) info.confirmedAt = null;
    if (update.confirm && actor.kind === 'driver') info.confirmedAt = now;
    // Only this party's information is recorded, not the other parties'.
    return { setPaths: { [`parties.${index}.info`]: info } };
  });
}

export async function updateFacts(services: CallServices, caseId: string, update: Partial<AccidentFacts>, actor: TransitionActor): Promise<CaseSnapshot> {
  await startCollecting(services, caseId, actor);
  return editCase(services, caseId, 'facts', actor, (c) => ({
    set: {
      facts: {
        occurredAt: update.occurredAt !== undefined ? (update.occurredAt ? new Date(update.occurredAt) : null) : c.facts?.occurredAt ?? null,
        place: update.place !== undefined ? update.place : c.facts?.place ?? null,
        directions: update.directions ?? c.facts?.directions ?? {},
        impactPoints: update.impactPoints ?? c.facts?.impactPoints ?? {},
        summary: update.summary !== undefined ? update.summary : c.facts?.summary ?? null,
      },
    },
  }));
}

export async function requestShot(services: CallServices, caseId: string, input: ShotRequestCreate, actor: TransitionActor): Promise<ShotRequest> {
  await startCollecting(services, caseId, actor);
  const now = services.clock();
  const request = { id: randomUUID(), kind: input.kind, party: input.party, instruction: SHOT_INSTRUCTIONS[input.kind], note: input.note ?? null, requestedAt: now, requestedBy: actor.id ?? '', evidenceId: null };
  await editCase(services, caseId, 'shot_requested', actor, (c) => {
    partyIndex(c, input.party);
    return { push: { shotRequests: [request] } };
  });
  return { ...request, requestedAt: now.toISOString() };
}

/** Licence, vehicle and 交强险 of one party, stored on the case with source and time. */
export async function runChecks(services: CallServices, caseId: string, party: string, actor: TransitionActor): Promise<CheckResult[]> {
  await startCollecting(services, caseId, actor);
  const current = await loadCase(caseId);
  const target = current.parties.find((p) => p.label === party);
  if (!target) throw badRequest(`没有 ${party} 车`);
  const idNumberSealed = await sealedIdNumberOf(target.driverId);
  const results = await runPartyChecks(
    services.registry,
    {
      label: party,
      idNumber: idNumberSealed ? services.idCipher.open(idNumberSealed) : null,
      licenceNo: target.info?.licenceNoSealed ? services.idCipher.open(target.info.licenceNoSealed) : null,
      plate: target.plate,
      plateType: target.info?.plateType ?? null,
    },
    current.facts?.occurredAt ?? current.reportedAt,
    services.clock(),
  ).catch((err: unknown) => {
    services.logger.warn({ err, caseId }, 'registry check failed');
    throw new AppError(503, 'UPSTREAM_UNAVAILABLE', '核查系统暂时不可用，请稍后重试');
  });
  await editCase(services, caseId, 'checks', actor, () => ({
    push: { checks: results.map((r) => ({ ...r, checkedAt: new Date(r.checkedAt) })) },
  }));
  return results;
}

export async function redirectCase(services: CallServices, caseId: string, input: RedirectRequest, actor: TransitionActor): Promise<CaseSnapshot> {
  const redirected = await transition(caseId, 'redirect', actor, { reason: input.reason, set: { redirect: { reason: input.reason, alternatives: input.alternatives } }, services });
  return redirected;
}

/** The parties are told to leave; the 5-minute clock stops and is kept. Refused while anything blocks it. */
export async function releaseCase(services: CallServices, caseId: string, actor: TransitionActor): Promise<CaseSnapshot> {
  const now = services.clock();
  const released = await transition(caseId, 'release', actor, {
    check: (current) => {
      if (!isOnCall(current.state)) throw new AppError(409, 'CASE_NOT_IN_CALL', '案件当前不在通话处理中');
      // Evidence fixed means the case is collecting (release-rules.ts), the one state release starts from.
      const blockers = releaseBlockers(current);
      if (blockers.length > 0) throw new AppError(409, 'RELEASE_BLOCKED', `还不能放行：${blockers.join('；')}`);
    },
    set: (current) => ({ releasedAt: now, handlingSeconds: current.answeredAt ? Math.max(0, Math.round((now.getTime() - current.answeredAt.getTime()) / 1000)) : null }),
    services,
  });
  if (released.brigadeCode && typeof released.handlingSeconds === 'number') {
    await recordHandlingTime(released.brigadeCode, released.handlingSeconds, now).catch((err: unknown) => services.logger.warn({ err }, 'handling time not recorded'));
  }
  void notifyParties(services, released, 'case_released');
  return released;
}

/** The dispatcher hands the case back (or their console went silent): head of the queue, history kept. */
export function handBack(services: CallServices, caseId: string, actor: TransitionActor, reason: string) {
  return transition(caseId, 'dispatcher_dropped', actor, { reason, set: { requeued: true, answeredAt: null, answeredBy: { id: null, name: null } }, services });
}

/** 继续处理 after a long silence: an abandoned case rejoins the queue, within the resume window. */
export async function resumeCase(services: CallServices, caseId: string, driverId: string): Promise<CaseSnapshot> {
  const now = services.clock();
  const current = await loadCase(caseId);
  if (current.state !== 'abandoned') throw new AppError(409, 'NOT_RESUMABLE', '该案件不需要继续处理');
  if (now.getTime() - (current.abandonedAt ?? current.stateChangedAt).getTime() > services.config.RESUME_WINDOW_SECONDS * 1000) {
    throw new AppError(409, 'NOT_RESUMABLE', '该案件已超过可继续处理的时间，请重新报案或拨打 122');
  }
  return transition(caseId, 'resume', { kind: 'driver', id: driverId }, { set: { requeued: true, abandonedAt: null, answeredAt: null }, services });
}
