import { DateTime } from 'luxon';
import type { z } from 'zod';
import { caseNumber, edit, loadCase, transition, type CaseFieldChanges, type CaseServices, type CaseSnapshot } from '../cases';
import type { SmsClient } from '../clients/sms/sms-client';
import { verifiedPhoneOf } from '../identity';
import { AppError, badRequest } from '../platform/errors';
import type { reviewAcceptSchema, reviewApplicationSchema, reviewConclusionSchema } from './review.schemas';

export interface ReviewServices extends CaseServices {
  sms: SmsClient;
}

/** §71–72 as the desk keeps them: accept within 5 days of receipt, conclude within 30 days of acceptance. */
const ACCEPT_WITHIN_DAYS = 5;
const CONCLUDE_WITHIN_DAYS = 30;
const days = (from: Date, n: number) => DateTime.fromJSDate(from).plus({ days: n }).toJSDate();
const shanghai = (d: Date) => DateTime.fromJSDate(d, { zone: 'Asia/Shanghai' });

type Reviewer = { id: string; name: string };
type Application = z.infer<typeof reviewApplicationSchema>;

/** The deadline as a driver reads it: the window ends at 24:00 of its last day. */
export function deadlineWords(deadline: Date): string {
  return `${shanghai(deadline).minus({ minutes: 1 }).toFormat('yyyy年M月d日')} 24:00`;
}

/**
 * A party's written 复核 application. Inside the window, the first one opens the review (`request_review`)
 * and each other party's joins it (§71: one review per accident); after the window, or once a review
 * was concluded, none. Two parties applying at once: one opens, the other's joins.
 */
export async function applyForReview(services: ReviewServices, caseId: string, driverId: string, party: string, input: Application): Promise<CaseSnapshot> {
  const now = services.clock();
  const current = await loadCase(caseId);
  refuseUnlessOpen(current, party, now);
  checkEvidence(current, party, input.evidenceIds);
  const application = { party, driverId, request: input.request, reasons: input.reasons, evidenceIds: input.evidenceIds, appliedAt: now };
  if (current.state === 'delivered') {
    try {
      return await transition(caseId, 'request_review', { kind: 'driver', id: driverId }, {
        check: (latest) => refuseUnlessOpen(latest, party, now),
        set: { review: { status: 'received', applications: [application], receivedAt: now, acceptBy: days(now, ACCEPT_WITHIN_DAYS), certificateNumber: current.decision?.certificateNumber ?? null } } as unknown as CaseFieldChanges,
        services,
      });
    } catch (err) {
      // Another party opened the review a moment earlier: this application joins theirs.
      if (!(err instanceof AppError && err.status === 409 && (await loadCase(caseId)).state === 'review_requested')) throw err;
    }
  }
  return edit(
    caseId,
    'review_joined',
    { kind: 'driver', id: driverId },
    (latest) => {
      refuseUnlessOpen(latest, party, now);
      return { reason: `${party} 方申请复核`, set: { review: { ...latest.review, applications: [...(latest.review?.applications ?? []), application] } } as unknown as CaseFieldChanges };
    },
    services,
  );
}

function refuseUnlessOpen(c: CaseSnapshot, party: string, now: Date): void {
  const review = c.review;
  if (review && review.status !== 'received') throw new AppError(409, 'REVIEW_ALREADY_USED', '本起事故已经复核，复核以一次为限');
  if (review?.applications.some((a) => a.party === party)) throw new AppError(409, 'REVIEW_ALREADY_APPLIED', '您已提交复核申请，请等待复核结果');
  if (c.state !== 'delivered' && c.state !== 'review_requested') throw new AppError(409, 'REVIEW_WINDOW_CLOSED', '该事故当前不能申请复核');
  if (!c.reviewDeadline || now >= c.reviewDeadline) {
    throw new AppError(409, 'REVIEW_WINDOW_CLOSED', c.reviewDeadline ? `复核申请期限已于 ${deadlineWords(c.reviewDeadline)} 届满，不能再申请复核` : '认定书尚未送达，不能申请复核');
  }
}

/** Photos named by an application must be this party's own 复核 photos, fixed on this case. */
function checkEvidence(c: CaseSnapshot, party: string, ids: string[]): void {
  for (const id of ids) {
    const item = c.evidence.find((e) => e.id === id);
    if (!item || item.party !== party || item.kind !== 'review_evidence') throw badRequest('所附照片不存在，请重新上传', [{ path: 'evidenceIds', message: `照片 ${id} 不存在` }]);
  }
}

/** The reviewer accepts the application, or does not (the certificate stands and the case closes). */
export async function acceptReview(services: ReviewServices, caseId: string, reviewer: Reviewer, input: z.infer<typeof reviewAcceptSchema>): Promise<CaseSnapshot> {
  const now = services.clock();
  const actor = { kind: 'reviewer' as const, id: reviewer.id };
  const requireReceived = (c: CaseSnapshot) => {
    if (c.review?.status !== 'received') throw new AppError(409, 'CONFLICT', '该复核申请已处理');
  };
  if (input.accept) {
    return edit(caseId, 'review_accepted', actor, (c) => {
      requireReceived(c);
      return { reason: '复核申请已受理', set: { review: { ...c.review, status: 'accepted', acceptedAt: now, concludeBy: days(now, CONCLUDE_WITHIN_DAYS), reviewer } } as unknown as CaseFieldChanges };
    }, services);
  }
  const declined = await transition(caseId, 'decline_review', actor, {
    reason: input.reason,
    check: requireReceived,
    set: (c) => ({ review: { ...c.review, status: 'not_accepted', notAcceptedReason: input.reason, concludedAt: now, reviewer } }) as unknown as CaseFieldChanges,
    services,
  });
  void tellParties(services, declined, '不予受理');
  return declined;
}

/**
 * The conclusion: 维持 closes the case with its certificate; 重新认定 sends it back to the brigade,
 * which decides again — the new certificate supersedes the old one on the verify page.
 */
export async function concludeReview(services: ReviewServices, caseId: string, reviewer: Reviewer, input: z.infer<typeof reviewConclusionSchema>): Promise<CaseSnapshot> {
  const now = services.clock();
  const actor = { kind: 'reviewer' as const, id: reviewer.id };
  const reviewed = await transition(caseId, 'review', actor, {
    reason: input.reason,
    check: (c) => {
      if (c.review?.status === 'received') throw new AppError(409, 'REVIEW_NOT_ACCEPTED_YET', '请先受理复核申请');
    },
    set: (c) => ({ review: { ...c.review, status: input.conclusion, concludedAt: now, conclusionReason: input.reason, reviewer } }) as unknown as CaseFieldChanges,
    services,
  });
  const system = { kind: 'system' as const, id: null };
  const next =
    input.conclusion === 'upheld'
      ? await transition(caseId, 'close', system, { reason: '复核维持原认定', services })
      : await transition(caseId, 'send_back', system, {
          reason: '复核决定重新认定',
          set: { decision: null, supersedesCertificate: reviewed.decision?.certificateNumber ?? null, deliveredAt: null, reviewDeadline: null, deliveries: [] } as unknown as CaseFieldChanges,
          services,
        });
  void tellParties(services, next, input.conclusion === 'upheld' ? '维持原认定' : '重新认定');
  return next;
}

/** Best effort: 网办进度 already shows the outcome. */
async function tellParties(services: ReviewServices, c: CaseSnapshot, outcome: string): Promise<void> {
  await Promise.all(
    c.parties.map(async (party) => {
      try {
        const phone = party.info?.phone || (await verifiedPhoneOf(party.driverId));
        if (phone) await services.sms.send(phone, 'review_concluded', { caseNo: caseNumber(c._id), outcome });
      } catch (err) {
        services.logger.warn({ err, caseId: String(c._id) }, 'review notice SMS not sent');
      }
    }),
  );
}
