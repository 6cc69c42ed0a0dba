import { createHash, randomUUID } from 'node:crypto';
import type { InsurerHandoffView } from '../../../typings/api/insurers';
import { InsurerApiError, INSURER_CODE, type InsurerClient } from '../clients/insurer/insurer-client';
import { UpstreamUnavailableError } from '../clients/http/fetch-json';
import type { CaseSnapshot } from '../cases';
import { certificatePdf } from '../certificates';
import type { IdCipher } from '../identity';
import { isDuplicateKey } from '../platform/database';
import { AppError, tooManyRequests } from '../platform/errors';
import type { PlatformServices } from '../platform/services';
import { claimRequestFor, type StoredClaim } from './claim-request';
import { handoffSettled } from './handoff-listeners';
import { Handoff, type HandoffRecord } from './handoff.model';
import { findInsurer } from './insurer-list';

/** What the hand-off needs beyond the platform: the insurer gateway, and the ID cipher for the party's identity. */
export type InsurerServices = PlatformServices & { insurer: InsurerClient; idCipher: IdCipher };

export function handoffView(h: HandoffRecord): InsurerHandoffView {
  return {
    insurerCode: h.insurerCode,
    insurerName: h.insurerName,
    status: h.status as InsurerHandoffView['status'],
    claimNo: h.claimNo ?? null,
    consentAt: h.consentAt.toISOString(),
    sentAt: h.sentAt ? h.sentAt.toISOString() : null,
    error: h.error ?? null,
  };
}

/** A driver's hand-offs by case id, for 网办进度 (a driver is one party of a case). */
export async function handoffsOfDriver(driverId: string): Promise<Map<string, InsurerHandoffView>> {
  const records = await Handoff.find({ driverId }).lean<HandoffRecord[]>();
  return new Map(records.map((h) => [String(h.caseId), handoffView(h)]));
}

/** For the statistics: one case's hand-offs, or every one (its insurer, where it stands, when it last changed). */
export async function handoffSummaries(caseId?: string): Promise<{ caseId: string; insurerCode: string; insurerName: string; status: string; updatedAt: Date }[]> {
  const records = await Handoff.find(caseId ? { caseId } : {}, { caseId: 1, status: 1, insurerCode: 1, insurerName: 1, updatedAt: 1 }).lean();
  return records.map((h) => ({ caseId: String(h.caseId), insurerCode: h.insurerCode, insurerName: h.insurerName, status: h.status, updatedAt: h.updatedAt }));
}

/**
 * Hands the delivered 认定书 to the party's insurer, with their consent. One hand-off per party: a
 * failed or unfinished one is sent again with the same Idempotency-Key and body (the insurer answers
 * the same claim if the first attempt reached it); another insurer after a failure is a new hand-off
 * with a new key; an accepted one is answered as it stands.
 */
export async function handOff(services: InsurerServices, c: CaseSnapshot, label: string, driverId: string, insurerCode: string): Promise<InsurerHandoffView> {
  const insurer = findInsurer(insurerCode);
  if (!insurer) throw new AppError(400, 'INSURER_UNKNOWN', '请选择列表中的保险公司');
  const number = c.decision?.certificateNumber;
  if (!number || !c.deliveredAt) throw new AppError(409, 'CERTIFICATE_NOT_DELIVERED', '认定书送达后才能发送给保险公司');
  const party = c.parties.find((p) => p.label === label);
  if (!party?.info?.policyNo) throw new AppError(409, 'POLICY_NOT_RECORDED', '未登记您的交强险保单号，无法发送给保险公司，请联系交警队');

  const existing = await Handoff.findOne({ caseId: c._id, party: label }).lean<HandoffRecord>();
  if (existing?.status === 'accepted') {
    if (existing.insurerCode !== insurer.code) {
      throw new AppError(409, 'HANDOFF_ALREADY_ACCEPTED', `已发送给${existing.insurerName}（报案号 ${existing.claimNo}），不能再发送给其他保险公司`);
    }
    return handoffView(existing);
  }
  // Each attempt reaches the insurer: braked per driver like any other write (an accepted one above is free).
  const wait = await services.editLimiter.take([`insurer-handoff:${driverId}`, services.config.INSURER_HANDOFF_MAX_PER_MINUTE]);
  if (wait > 0) throw tooManyRequests('HANDOFF_RATE_LIMITED', `发送太频繁，请 ${wait} 秒后再试`, wait);

  const pdf = await certificatePdf(services, number);
  const pdfSha256 = createHash('sha256').update(pdf).digest('hex');
  const attempt = await startAttempt(services, c, label, driverId, insurer, number, pdfSha256, existing);
  return send(services, attempt, pdf);
}

type Attempt = HandoffRecord & { request: StoredClaim };

/** Marks the hand-off as sending: the stored one as it was, or a fresh one (new key, consent now). */
async function startAttempt(
  services: InsurerServices,
  c: CaseSnapshot,
  label: string,
  driverId: string,
  insurer: { code: string; name: string },
  number: string,
  pdfSha256: string,
  existing: HandoffRecord | null,
): Promise<Attempt> {
  const now = services.clock();
  const same = existing && existing.insurerCode === insurer.code && existing.certificateNumber === number && (existing.request as StoredClaim).certificate.pdfSha256 === pdfSha256;
  if (existing && same) {
    const updated = await Handoff.findOneAndUpdate(
      { _id: existing._id, status: { $ne: 'accepted' } },
      { $set: { status: 'sending', updatedAt: now }, $inc: { attempts: 1 } },
      { returnDocument: 'after' },
    ).lean<Attempt>();
    // Accepted meanwhile by a concurrent attempt: nothing left to send.
    return updated ?? ((await Handoff.findById(existing._id).lean<Attempt>()) as Attempt);
  }
  const request = await claimRequestFor(services, c, label, insurer.code, pdfSha256, now);
  const fresh = {
    insurerCode: insurer.code,
    insurerName: insurer.name,
    status: 'sending' as const,
    idempotencyKey: randomUUID(),
    certificateNumber: number,
    request,
    consentAt: now,
    claimNo: null,
    sentAt: null,
    error: null,
    updatedAt: now,
  };
  if (existing) {
    const updated = await Handoff.findOneAndUpdate({ _id: existing._id, status: { $ne: 'accepted' } }, { $set: fresh, $inc: { attempts: 1 } }, { returnDocument: 'after' }).lean<Attempt>();
    if (updated) return updated;
    return (await Handoff.findById(existing._id).lean<Attempt>()) as Attempt;
  }
  try {
    const created = await Handoff.create({ ...fresh, caseId: c._id, party: label, driverId, attempts: 1, createdAt: now });
    return created.toObject() as Attempt;
  } catch (err) {
    // A concurrent first POST of the same party created it: continue with that one.
    if (!isDuplicateKey(err)) throw err;
    return (await Handoff.findOne({ caseId: c._id, party: label }).lean<Attempt>()) as Attempt;
  }
}

async function send(services: InsurerServices, attempt: Attempt, pdf: Buffer): Promise<InsurerHandoffView> {
  if (attempt.status === 'accepted') return handoffView(attempt);
  const claim = { ...attempt.request, certificate: { ...attempt.request.certificate, pdfBase64: pdf.toString('base64') } };
  let update: Partial<HandoffRecord>;
  try {
    const { claimNo } = await services.insurer.submitClaim(claim, attempt.idempotencyKey);
    update = { status: 'accepted', claimNo, sentAt: services.clock(), error: null };
  } catch (err) {
    update = { status: 'failed', error: failureWords(services, err, attempt) };
  }
  update.updatedAt = services.clock();
  // A failure never overwrites an acceptance a concurrent attempt recorded.
  if (update.status === 'failed') await Handoff.updateOne({ _id: attempt._id, status: { $ne: 'accepted' as const } }, { $set: update });
  else await Handoff.updateOne({ _id: attempt._id }, { $set: update });
  handoffSettled(String(attempt.caseId), services.logger);
  return handoffView((await Handoff.findById(attempt._id).lean<HandoffRecord>())!);
}

/** The party reads why it did not go through, in Chinese; what only an operator can fix is logged. */
function failureWords(services: InsurerServices, err: unknown, attempt: Attempt): string {
  const where = { caseId: String(attempt.caseId), party: attempt.party, insurerCode: attempt.insurerCode };
  if (err instanceof UpstreamUnavailableError) {
    services.logger.warn({ ...where, reason: err.reason, err: err.message }, 'insurer hand-off: no answer');
    return err.reason === 'timeout' ? `${attempt.insurerName}未及时应答，请稍后重试` : `${attempt.insurerName}系统暂时无法受理，请稍后重试`;
  }
  if (err instanceof InsurerApiError) {
    if (err.code === INSURER_CODE.UNKNOWN_POLICY) return `${attempt.insurerName}未查到与车牌相符的交强险保单，请确认保险公司是否选对`;
    if (err.code === INSURER_CODE.RATE_LIMITED) return `${attempt.insurerName}繁忙，请稍后重试`;
    if (err.code === INSURER_CODE.INSURER_DOWN) return `${attempt.insurerName}系统暂时无法受理，请稍后重试`;
    services.logger.error({ ...where, code: err.code, detail: err.detail }, 'insurer hand-off refused');
    return `${attempt.insurerName}未受理，请稍后重试或联系交警队`;
  }
  services.logger.error({ ...where, err }, 'insurer hand-off failed');
  return '暂时无法发送给保险公司，请稍后重试';
}
