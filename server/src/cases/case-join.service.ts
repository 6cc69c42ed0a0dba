import { Types, type Types as T } from 'mongoose';
import type { z } from 'zod';
import { AppError, tooManyRequests } from '../platform/errors';
import type { CaseServices } from './case-services';
import { edit, loadCase, type CaseSnapshot } from './case-revisions';
import { OpenCase } from './open-case.model';
import { activeCaseOf } from './active-case';
import type { joinCaseSchema } from './case.schemas';
import { isWellFormedJoinCode, normaliseJoinCode } from './join-code';

type JoinInput = z.infer<typeof joinCaseSchema>;
export const MAX_VEHICLES = 3;

/**
 * Another party joins from their own phone by the 6-character code (or its QR code) shown on a party's
 * phone — never by a case id and a location, which anyone near the scene could send.
 * The join is an event on the case (state unchanged), so two joiners racing for the last place are
 * serialised by the event log: one gets it, the other hears the case is full.
 */
export async function joinCase(services: CaseServices, driverId: string, input: JoinInput): Promise<CaseSnapshot> {
  const now = services.clock();
  const target = await findByCode(services, driverId, input.code);

  const busy = await activeCaseOf(driverId, String(target._id));
  if (busy) throw new AppError(409, 'OPEN_CASE_EXISTS', '您有一起正在处理的事故，请先处理完该案件', { caseId: String(busy._id) });

  try {
    return await addParty(services, String(target._id), driverId, input.plate, now);
  } catch (err) {
    // A retried join (lost answer on a weak signal) is not an error, and not another event either.
    if (err instanceof AlreadyJoined) return loadCase(target._id);
    throw err;
  }
}

class AlreadyJoined extends Error {}

function addParty(services: CaseServices, caseId: string, driverId: string, plate: string, now: Date): Promise<CaseSnapshot> {
  const input = { plate };
  // The edits table refuses a case no longer at the scene; the rest are the join's own rules.
  return edit(
    caseId,
    'join',
    { kind: 'driver', id: driverId },
    (current) => {
      const mine = current.parties.find((p) => String(p.driverId) === driverId);
      if (mine && mine.plate === input.plate) throw new AlreadyJoined();
      if (mine) throw new AppError(409, 'CONFLICT', `您已以车牌 ${mine.plate} 加入该案件`);
      if (current.joinCodeExpiresAt.getTime() <= now.getTime()) {
        throw new AppError(410, 'JOIN_CODE_EXPIRED', '该案件已不能加入，请让报案人重新报案或拨打 122');
      }
      if (current.parties.length >= MAX_VEHICLES) throw new AppError(409, 'CASE_FULL', '该案件已有 3 辆车，视频快处最多处理 3 车事故，请拨打 122');
      if (current.parties.some((p) => p.plate === input.plate)) throw new AppError(409, 'PLATE_ALREADY_IN_CASE', `车牌 ${input.plate} 已在该案件中，请核对车牌号`);
      const party = { driverId: new Types.ObjectId(driverId), label: String.fromCharCode(65 + current.parties.length), plate: input.plate, joinedAt: now, factsConfirmedAt: now, via: 'code' as const };
      return {
        set: { vehicleCount: Math.max(current.vehicleCount ?? 0, current.parties.length + 1) },
        push: { parties: [party] },
      };
    },
    services,
  );
}

async function findByCode(services: CaseServices, driverId: string, raw: string): Promise<{ _id: T.ObjectId }> {
  const { JOIN_MAX_FAILURES } = services.config;
  const limit = await services.joinFailures.status(driverId, JOIN_MAX_FAILURES - 1);
  if (limit.retryAfterSeconds > 0) {
    throw tooManyRequests('JOIN_RATE_LIMITED', `案件码输错次数过多，请 ${Math.ceil(limit.retryAfterSeconds / 60)} 分钟后再试`, limit.retryAfterSeconds);
  }
  const code = normaliseJoinCode(raw);
  // Only open cases can be joined, so only they are looked in; a finished case's code is simply unknown.
  const found = isWellFormedJoinCode(code) ? await OpenCase.findOne({ joinCode: code }, { _id: 1 }).lean() : null;
  if (!found) {
    await services.joinFailures.record(driverId);
    throw new AppError(404, 'JOIN_CODE_INVALID', '案件码不正确或案件已结束，请核对对方手机上显示的 6 位案件码');
  }
  // Expired, full or finished: the join itself says so (one set of rules, in joinCase's plan).
  return found;
}
