import { Schema, Types, model } from 'mongoose';

/** A photo of one side of an ID card, kept in the blob store; only ops can read it. */
const idPhotoSchema = new Schema(
  {
    driverId: { type: Types.ObjectId, required: true, index: true },
    side: { type: String, enum: ['front', 'back'], required: true },
    blobKey: { type: String, required: true },
    contentType: { type: String, required: true },
    size: { type: Number, required: true },
    sha256: { type: String, required: true },
    uploadedAt: { type: Date, required: true },
    /** Set when the retention period after the decision has passed and the file is gone. */
    deletedAt: { type: Date, default: null },
  },
  { versionKey: false, collection: 'id_photos' },
);
export const IdPhoto = model('IdPhoto', idPhotoSchema);

/** A manual review of a driver's ID photos by operations staff. */
const identityReviewSchema = new Schema(
  {
    driverId: { type: Types.ObjectId, required: true, index: true },
    frontPhotoId: { type: Types.ObjectId, required: true },
    backPhotoId: { type: Types.ObjectId, required: true },
    submittedAt: { type: Date, required: true },
    state: { type: String, enum: ['pending', 'approved', 'rejected'], required: true, default: 'pending' },
    reason: { type: String, default: null },
    decidedBy: { type: String, default: null },
    decidedAt: { type: Date, default: null },
    /** When the photos may be deleted (decision + ID_PHOTO_RETENTION_DAYS). */
    purgeAfter: { type: Date, default: null },
  },
  { versionKey: false, collection: 'identity_reviews' },
);
identityReviewSchema.index({ state: 1, submittedAt: 1 });
export const IdentityReview = model('IdentityReview', identityReviewSchema);

/** Deciding inserts here first: unique per review, so two reviewers cannot both decide it. */
const identityReviewDecisionSchema = new Schema(
  {
    reviewId: { type: Types.ObjectId, required: true, unique: true },
    decision: { type: String, required: true },
    by: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false, collection: 'identity_review_decisions' },
);
export const IdentityReviewDecision = model('IdentityReviewDecision', identityReviewDecisionSchema);
