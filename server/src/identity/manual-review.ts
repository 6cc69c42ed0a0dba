import type { Types } from 'mongoose';
import { randomUUID } from 'node:crypto';
import type { Context } from 'koa';
import type { IdentityReviewItem, IdPhotoSide, IdPhotoUploadResponse } from '../../../typings/api/verification';
import { Driver } from '../drivers';
import { audit } from '../platform/audit/audit';
import { AppError, conflict, notFound } from '../platform/errors';
import { maskIdNumber } from '../platform/mask';
import { sniffImageType } from '../platform/upload/image-type';
import { requireMedia } from '../platform/upload/media-check';
import type { UploadedFile } from '../platform/upload/read-multipart';
import { DriverIdentity } from './identity.model';
import { IdentityReview, IdentityReviewDecision, IdPhoto } from './identity-review.model';
import { markVerified } from './mark-verified';
import { maskName } from './masking';
import { requireFallbackOffered } from './sms-verification';
import { recordAttempt, VerificationAttempt } from './verification-attempt.model';
import { isDuplicateKey } from '../platform/database';

/**
 * 人工审核: when the face check keeps failing, the driver photographs both sides of the ID card; ops
 * staff compare them with the profile and approve (verified) or reject with a reason the driver reads.
 */
export async function storeIdPhoto(ctx: Context, driverId: string, side: IdPhotoSide, file: UploadedFile): Promise<IdPhotoUploadResponse> {
  await requireFallbackOffered(ctx, driverId);
  const contentType = sniffImageType(file.data);
  if (!contentType) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', '请上传 JPG 或 PNG 格式的照片');
  // Decoded to the last pixel: a JPEG header in front of anything else is not a photo of an ID card.
  await requireMedia(file.data, [contentType], contentType);
  const extension = contentType === 'image/png' ? 'png' : 'jpg';
  const stored = await ctx.services.blobs.put(`id-photos/${driverId}/${side}-${randomUUID()}.${extension}`, file.data);
  await IdPhoto.create({ driverId, side, blobKey: stored.key, contentType, size: stored.size, sha256: stored.sha256, uploadedAt: new Date() });
  return { side, size: stored.size, sha256: stored.sha256 };
}

export async function submitForReview(ctx: Context, driverId: string): Promise<void> {
  await requireFallbackOffered(ctx, driverId);
  if (await IdentityReview.exists({ driverId, state: 'pending' })) throw conflict('身份证照片已提交，正在等待人工审核');
  const [front, back] = await Promise.all(
    (['front', 'back'] as const).map((side) => IdPhoto.findOne({ driverId, side, deletedAt: null }).sort({ uploadedAt: -1 }).lean()),
  );
  if (!front || !back) {
    const missing = [!front && '人像面', !back && '国徽面'].filter(Boolean).join('和');
    throw new AppError(400, 'VALIDATION_FAILED', `请先上传身份证${missing}照片`);
  }
  await IdentityReview.create({ driverId, frontPhotoId: front._id, backPhotoId: back._id, submittedAt: new Date() });
  await Driver.updateOne({ _id: driverId, verification: { $ne: 'verified' } }, { $set: { verification: 'pending_review' } });
  await recordAttempt({ driverId, path: 'manual_review', result: 'started' });
}

/** The review queue, oldest first, with how long each has waited. */
export async function listPendingReviews(ctx: Context): Promise<IdentityReviewItem[]> {
  const reviews = await IdentityReview.find({ state: 'pending' }).sort({ submittedAt: 1 }).limit(200).lean();
  return Promise.all(reviews.map((review) => toItem(ctx, review)));
}

export async function reviewPhoto(reviewId: string, side: IdPhotoSide, ctx: Context): Promise<{ data: Buffer; contentType: string }> {
  const review = await IdentityReview.findById(reviewId).lean();
  if (!review) throw notFound('审核单不存在');
  const photo = await IdPhoto.findById(side === 'front' ? review.frontPhotoId : review.backPhotoId).lean();
  if (!photo || photo.deletedAt) throw notFound('照片已按保存期限删除');
  const principal = ctx.state.principal;
  await audit({ actor: { kind: principal.role, id: principal.id, username: principal.kind === 'staff' ? principal.username : null }, action: 'identity_review.view_photo', target: { kind: 'identity_review', id: reviewId }, details: { side } });
  return { data: await ctx.services.blobs.get(photo.blobKey), contentType: photo.contentType };
}

export async function decideReview(ctx: Context, reviewId: string, decision: 'approve' | 'reject', reason: string | null): Promise<IdentityReviewItem> {
  const principal = ctx.state.principal;
  const review = await IdentityReview.findById(reviewId).lean();
  if (!review) throw notFound('审核单不存在');
  if (review.state !== 'pending') throw conflict('该审核单已处理');
  try {
    await IdentityReviewDecision.create({ reviewId, decision, by: principal.id, at: new Date() });
  } catch (err) {
    if (isDuplicateKey(err)) throw conflict('该审核单已由其他人处理');
    throw err;
  }
  const driverId = String(review.driverId);
  const decidedAt = new Date();
  const purgeAfter = new Date(decidedAt.getTime() + ctx.services.config.ID_PHOTO_RETENTION_DAYS * 24 * 3600 * 1000);
  if (decision === 'approve') {
    const identity = await DriverIdentity.findOne({ driverId }).lean();
    if (!identity) throw notFound('该用户没有实名信息');
    await markVerified(driverId, identity.idHash, 'manual_review');
  } else {
    await Driver.updateOne({ _id: driverId, verification: { $ne: 'verified' } }, { $set: { verification: 'rejected' } });
    await recordAttempt({ driverId, path: 'manual_review', result: 'failed', code: 'REJECTED', reason });
  }
  await IdentityReview.updateOne(
    { _id: reviewId },
    { $set: { state: decision === 'approve' ? 'approved' : 'rejected', reason, decidedBy: principal.id, decidedAt, purgeAfter } },
  );
  await audit({
    actor: { kind: principal.role, id: principal.id, username: principal.kind === 'staff' ? principal.username : null },
    action: `identity_review.${decision}`,
    target: { kind: 'identity_review', id: reviewId },
    details: reason ? { reason } : {},
  });
  return toItem(ctx, (await IdentityReview.findById(reviewId).lean())!);
}

/** Deletes the photo files of decided reviews whose retention period has passed; the records stay. */
export async function purgeExpiredIdPhotos(ctx: Pick<Context, 'services'>, now = new Date()): Promise<number> {
  const due = await IdentityReview.find({ state: { $ne: 'pending' }, purgeAfter: { $lte: now } }).lean();
  let purged = 0;
  for (const review of due) {
    const photos = await IdPhoto.find({ driverId: review.driverId, deletedAt: null, uploadedAt: { $lte: review.submittedAt } }).lean();
    for (const photo of photos) {
      await ctx.services.blobs.delete(photo.blobKey);
      await IdPhoto.updateOne({ _id: photo._id }, { $set: { deletedAt: now } });
      purged++;
    }
  }
  return purged;
}

async function toItem(ctx: Context, review: { _id: Types.ObjectId; driverId: Types.ObjectId; submittedAt: Date }): Promise<IdentityReviewItem> {
  const [identity, faceFailures] = await Promise.all([
    DriverIdentity.findOne({ driverId: review.driverId }).lean(),
    VerificationAttempt.countDocuments({ driverId: review.driverId, path: 'face', result: 'failed' }),
  ]);
  return {
    id: String(review._id),
    driverId: String(review.driverId),
    maskedName: identity ? maskName(identity.name) : '',
    maskedIdNumber: identity ? maskIdNumber(ctx.services.idCipher.open(identity.idNumberSealed)) : '',
    submittedAt: review.submittedAt.toISOString(),
    waitingSeconds: Math.max(0, Math.round((Date.now() - review.submittedAt.getTime()) / 1000)),
    faceFailures,
  };
}
