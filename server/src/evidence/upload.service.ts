import { randomBytes } from 'node:crypto';
import type { UploadHeld, UploadSession } from '../../../typings/api/call';
import { type CaseSnapshot, touchPresence, ON_CALL_STATES, REVIEW_UPLOAD_STATES, type CaseServices } from '../cases';
import { isDuplicateKey } from '../platform/database';
import { AppError, badRequest, conflict, tooManyRequests } from '../platform/errors';
import { MEDIA_TYPE_NAMES, requireMedia, type MediaType } from '../platform/upload/media-check';
import { sha256Hex } from './evidence-chain';
import { Evidence, Upload, UploadChunk, type EvidenceRecord, type UploadRecord } from './evidence.model';
import { fixEvidence, recordOnCase, toEvidenceItem, summaryOf } from './evidence.service';
import { uploadIdSchema, type UploadCompleteInput, type UploadCreateInput } from './evidence.schemas';

/** Evidence is taken while a dispatcher has the parties on the call. */
export const EVIDENCE_STATES: readonly string[] = ON_CALL_STATES;

/** The same (case, driver, uploadKey) always names the same upload: 128 bits of SHA-256, hex. */
export const uploadIdOf = (caseId: string, driverId: string, uploadKey: string) => sha256Hex(`upload|${caseId}|${driverId}|${uploadKey}`).slice(0, 32);
export const chunkId = (uploadId: string, index: number) => `${uploadId}:${String(index).padStart(5, '0')}`;
/** Each send of a chunk writes its own file, so two sends racing never write the same file. */
const chunkBlobKey = (uploadId: string, index: number) => `uploads/${uploadId}/${index}-${randomBytes(6).toString('hex')}`;

const uploadNotFound = () => new AppError(404, 'UPLOAD_NOT_FOUND', '上传任务不存在，请重新上传');

export function maxBytesFor(services: CaseServices, mimeType: string): number {
  return mimeType.startsWith('video/') ? services.config.EVIDENCE_VIDEO_MAX_BYTES : services.config.EVIDENCE_IMAGE_MAX_BYTES;
}

const megabytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/**
 * Starts (or, for the same uploadKey, finds again) the upload of one file by a party of the case.
 * The upload's `_id` is derived from (case, driver, uploadKey), so a retry after a lost answer and a
 * concurrent duplicate can only meet at the same primary key.
 */
export async function createUpload(
  services: CaseServices,
  driverId: string,
  snapshot: CaseSnapshot,
  party: string,
  input: UploadCreateInput,
): Promise<{ session: UploadSession; created: boolean }> {
  const caseId = String(snapshot._id);
  const uploadId = uploadIdOf(caseId, driverId, input.uploadKey);
  const existing = await Upload.findById(uploadId).lean<UploadRecord>();
  if (existing) return { session: await sessionOf(services, sameFile(existing, input)), created: false };

  if (input.kind === 'review_evidence') {
    if (!(REVIEW_UPLOAD_STATES as readonly string[]).includes(snapshot.state) || (snapshot.reviewDeadline && services.clock() >= snapshot.reviewDeadline && snapshot.state === 'delivered')) {
      throw new AppError(409, 'REVIEW_WINDOW_CLOSED', '当前不能为复核申请上传材料');
    }
  } else if (!EVIDENCE_STATES.includes(snapshot.state)) throw new AppError(409, 'CASE_NOT_IN_CALL', '案件当前不在通话取证中，不能上传证据');
  // Each new upload will become a case edit and up to 50 MB kept: braked like any other edit (a retry above is free).
  const perMinute = services.config.CASE_EDIT_MAX_PER_MINUTE;
  const wait = await services.editLimiter.take([`user:${driverId}`, perMinute], [`case:${caseId}`, perMinute * 2]);
  if (wait > 0) throw tooManyRequests('EDIT_RATE_LIMITED', `上传太频繁，请 ${wait} 秒后再试`, wait);
  const max = maxBytesFor(services, input.mimeType);
  if (input.size > max) throw new AppError(413, 'PAYLOAD_TOO_LARGE', `${MEDIA_TYPE_NAMES[input.mimeType]}不能超过 ${megabytes(max)}`);
  if (input.shotRequestId && !snapshot.shotRequests.some((r) => r.id === input.shotRequestId && r.party === party)) {
    throw badRequest('该拍摄要求不存在，或不是要求您拍摄的', [{ path: 'shotRequestId', message: '拍摄要求不存在' }]);
  }
  const chunkSize = services.config.UPLOAD_CHUNK_BYTES;
  const upload = {
    _id: uploadId,
    caseId: snapshot._id,
    driverId,
    party,
    uploadKey: input.uploadKey,
    kind: input.kind,
    shotRequestId: input.shotRequestId ?? null,
    mimeType: input.mimeType,
    size: input.size,
    chunkSize,
    totalChunks: Math.ceil(input.size / chunkSize),
    createdAt: services.clock(),
    evidenceId: null,
    completedAt: null,
  };
  try {
    await Upload.create(upload);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    // A concurrent duplicate created it first: the same upload.
    const winner = await Upload.findById(uploadId).lean<UploadRecord>();
    if (!winner) throw err;
    return { session: await sessionOf(services, sameFile(winner, input)), created: false };
  }
  return { session: await sessionOf(services, upload as unknown as UploadRecord), created: true };
}

/** A key names one file: the same key with another file is a client bug, refused rather than mixed. */
function sameFile(upload: UploadRecord, input: UploadCreateInput): UploadRecord {
  if (upload.size !== input.size || upload.mimeType !== input.mimeType || upload.kind !== input.kind || (upload.shotRequestId ?? null) !== (input.shotRequestId ?? null)) {
    throw conflict('该 uploadKey 已用于另一个文件，请为新文件生成新的 uploadKey');
  }
  return upload;
}

/** The uploader's own upload; anyone else's does not exist for them. */
export async function ownUpload(uploadId: string, driverId: string): Promise<UploadRecord> {
  if (!uploadIdSchema.safeParse(uploadId).success) throw uploadNotFound();
  const upload = await Upload.findById(uploadId).lean<UploadRecord>();
  if (!upload || String(upload.driverId) !== driverId) throw uploadNotFound();
  return upload;
}

const allIndexes = (upload: UploadRecord) => Array.from({ length: upload.totalChunks }, (_, i) => i);

/**
 * The chunks held, in one query by the upload's id: a top-level equality, which FerretDB on
 * PostgreSQL answers from an index (a `$in` of the chunks' ids it would filter by reading the whole
 * collection). Only chunks in this upload's range count.
 */
async function heldChunks(upload: UploadRecord) {
  const docs = await UploadChunk.find({ uploadId: upload._id }).lean();
  return new Map(docs.filter((d) => d.index >= 0 && d.index < upload.totalChunks && d._id === chunkId(upload._id, d.index)).map((d) => [d.index, d]));
}

export async function sessionOf(services: CaseServices, upload: UploadRecord): Promise<UploadSession> {
  let evidence: EvidenceRecord | null = null;
  if (upload.evidenceId) evidence = await Evidence.findById(upload.evidenceId).lean<EvidenceRecord>();
  // Once fixed the server holds the whole file (the chunks themselves are gone).
  const received = evidence ? allIndexes(upload) : [...(await heldChunks(upload)).keys()].sort((a, b) => a - b);
  return {
    uploadId: upload._id,
    chunkSize: upload.chunkSize,
    totalChunks: upload.totalChunks,
    received,
    evidence: evidence ? toEvidenceItem(summaryOf(evidence), String(upload.caseId)) : null,
  };
}

/** How many bytes chunk `index` has: `chunkSize`, except the last, which has the rest. */
export function expectedChunkLength(upload: UploadRecord, index: number): number {
  if (!Number.isInteger(index) || index < 0 || index >= upload.totalChunks) {
    throw new AppError(400, 'CHUNK_OUT_OF_RANGE', `分片序号应在 0–${upload.totalChunks - 1} 之间`);
  }
  return index < upload.totalChunks - 1 ? upload.chunkSize : upload.size - upload.chunkSize * (upload.totalChunks - 1);
}

/**
 * Stores chunk `index` (its bytes already read and measured by the route). Receiving the same bytes
 * again is fine (a retry after a lost answer); other bytes for a chunk already held are refused with
 * 409 CHUNK_CONFLICT, and the first copy stays — evidence is never silently replaced, and a phone
 * whose file changed learns it here (or at complete, by the hash). Of two racing sends one insert wins;
 * the other is compared with it the same way.
 */
export async function storeChunk(services: CaseServices, upload: UploadRecord, index: number, data: Buffer): Promise<UploadSession> {
  await touchPresence(String(upload.caseId), upload.party, services.clock());
  if (upload.evidenceId) return sessionOf(services, upload);
  const id = chunkId(upload._id, index);
  const sha256 = sha256Hex(data);
  const held = await UploadChunk.findById(id).lean();
  if (held) {
    sameChunk(held, sha256);
    return sessionOf(services, upload);
  }
  const blobKey = chunkBlobKey(upload._id, index);
  await services.blobs.put(blobKey, data);
  try {
    await UploadChunk.create({ _id: id, uploadId: upload._id, index, size: data.length, sha256, blobKey, receivedAt: services.clock() });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    // Another send of this chunk was recorded first: its file is the chunk, this one is spare.
    await services.blobs.delete(blobKey);
    const winner = await UploadChunk.findById(id).lean();
    if (winner) sameChunk(winner, sha256);
  }
  return sessionOf(services, upload);
}

function sameChunk(held: { index: number; sha256: string }, sha256: string): void {
  if (held.sha256 === sha256) return;
  throw new AppError(
    409,
    'CHUNK_CONFLICT',
    `分片 ${held.index} 已收到另一份内容（服务器上的 SHA-256 为 ${held.sha256}），已保留先收到的一份；请核对手机上的文件后完成上传`,
    { chunk: { index: held.index, sha256: held.sha256 } },
  );
}

/**
 * Puts the chunks together, checks they are the file the phone has (`claim.sha256`, when it sends one)
 * and that the file reads whole as the declared type, and fixes it as an evidence item
 * (evidence.service.ts) recorded on the case. Completing again returns the same session; a completion
 * that stopped half-way is finished by the next one (the item for this upload is found, not fixed twice,
 * and the case is updated if it does not list it yet).
 */
export async function completeUpload(services: CaseServices, upload: UploadRecord, claim: UploadCompleteInput = {}): Promise<UploadSession> {
  await touchPresence(String(upload.caseId), upload.party, services.clock());
  if (upload.evidenceId) {
    const item = await Evidence.findById(upload.evidenceId).lean<EvidenceRecord>();
    // Items are never deleted: one that is gone was removed behind the server's back (verify shows it).
    if (!item) throw conflict('该文件的证据记录已缺失，请接警员核验证据链');
    // Fixed already, as other bytes than the phone has now: nothing to re-send, but it must be told.
    if (claim.sha256 && claim.sha256 !== item.sha256) {
      throw hashMismatch({ sha256: item.sha256, size: item.size, chunks: [], dropped: [] }, '该文件已按服务器收到的内容固定为证据，与手机上的文件不同；如需要请重新拍摄');
    }
    await recordOnCase(services, item);
    await dropChunks(services, upload);
    return sessionOf(services, upload);
  }

  const held = await heldChunks(upload);
  const parts: Buffer[] = [];
  const missing: number[] = [];
  for (const index of allIndexes(upload)) {
    const chunk = held.get(index);
    const data = chunk ? await services.blobs.get(chunk.blobKey).catch(() => null) : null;
    if (chunk && data && data.length === chunk.size && sha256Hex(data) === chunk.sha256) {
      parts.push(data);
      continue;
    }
    // Absent, or its stored file is gone or not the bytes recorded: it must be sent again.
    if (chunk) {
      await UploadChunk.deleteOne({ _id: chunkId(upload._id, index) });
      held.delete(index);
    }
    missing.push(index);
  }
  if (missing.length > 0) {
    // A concurrent complete of this upload may have fixed it and cleared the chunks meanwhile.
    const now = await Upload.findById(upload._id).lean<UploadRecord>();
    if (now?.evidenceId) return completeUpload(services, now, claim);
    throw new AppError(409, 'UPLOAD_INCOMPLETE', `还缺少分片：${listOf(missing)}，请补传后再完成`);
  }
  const file = Buffer.concat(parts);
  const sha256 = sha256Hex(file);
  if (claim.sha256 && claim.sha256 !== sha256) {
    // Some chunk is not the phone's: the ones whose hash differs from the phone's list, or — without
    // a list to tell — all of them. Dropped (only if still those bytes), so the phone sends them again.
    const wrong = [...held.values()].filter((c) => !claim.chunks || claim.chunks.length !== upload.totalChunks || claim.chunks[c.index] !== c.sha256);
    const dropped = (wrong.length > 0 ? wrong : [...held.values()]).sort((x, y) => x.index - y.index);
    await Promise.all(dropped.map((c) => services.blobs.delete(c.blobKey)));
    await Promise.all(dropped.map((c) => UploadChunk.deleteOne({ _id: c._id, sha256: c.sha256 })));
    const chunks = [...held.values()].sort((x, y) => x.index - y.index).map((c) => ({ index: c.index, sha256: c.sha256 }));
    throw hashMismatch(
      { sha256, size: file.length, chunks, dropped: dropped.map((c) => c.index) },
      `服务器收到的文件（SHA-256 ${sha256}，${file.length} 字节）与手机上的不一致，已丢弃分片 ${listOf(dropped.map((c) => c.index))}，请补传后再完成`,
    );
  }
  try {
    await requireMedia(file, [upload.mimeType as MediaType], upload.mimeType as MediaType);
  } catch (err) {
    // The same bytes would fail again: the chunks are of no further use.
    await dropChunks(services, upload);
    throw err;
  }

  const item = await fixEvidence(services, {
    caseId: String(upload.caseId),
    sourceId: upload._id,
    kind: upload.kind,
    party: upload.party,
    shotRequestId: upload.shotRequestId ?? null,
    mimeType: upload.mimeType,
    data: file,
    actor: { kind: 'driver', id: String(upload.driverId) },
  });
  await Upload.updateOne({ _id: upload._id }, { $set: { evidenceId: item._id, completedAt: services.clock() } });
  await recordOnCase(services, item);
  await dropChunks(services, upload);
  return sessionOf(services, { ...upload, evidenceId: item._id });
}

const listOf = (indexes: number[]) => (indexes.length > 20 ? `${indexes.slice(0, 20).join(', ')} 等 ${indexes.length} 个` : indexes.join(', '));

const hashMismatch = (upload: UploadHeld, message: string) => new AppError(409, 'UPLOAD_HASH_MISMATCH', message, { upload });

/** The chunk files and records, once the whole file is fixed (or can never be). Idempotent. */
async function dropChunks(services: CaseServices, upload: UploadRecord): Promise<void> {
  const held = [...(await heldChunks(upload)).values()];
  if (held.length === 0) return;
  // Files first: a record left behind by a crash is deleted (again) by the next completion.
  await Promise.all(held.map((chunk) => services.blobs.delete(chunk.blobKey)));
  await UploadChunk.deleteMany({ _id: { $in: held.map((chunk) => chunk._id) } });
}
