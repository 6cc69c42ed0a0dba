import { Schema, Types, model } from 'mongoose';

/** One WeChat face verification (2.0) session: the verify_id we asked for, whose it is, and until when. */
const faceSessionSchema = new Schema(
  {
    driverId: { type: Types.ObjectId, required: true, index: true },
    verifyId: { type: String, required: true, unique: true },
    outSeqNo: { type: String, required: true, unique: true },
    idHash: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'face_sessions' },
);
export const FaceSession = model('FaceSession', faceSessionSchema);

/** A session's result is collected once: the unique verifyId makes a second collection fail atomically. */
const faceResultSchema = new Schema(
  {
    verifyId: { type: String, required: true, unique: true },
    driverId: { type: Types.ObjectId, required: true },
    verifyRet: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false, collection: 'face_results' },
);
export const FaceResult = model('FaceResult', faceResultSchema);
