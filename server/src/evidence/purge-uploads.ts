import type { CaseServices } from '../cases';
import { Upload, UploadChunk } from './evidence.model';
import { chunkId } from './upload.service';

/**
 * Uploads a phone started and never finished (the photo was retaken, the case ended, the phone was
 * lost): after `olderThanSeconds` their chunk files and records go. Fixed evidence is never touched —
 * only chunks of uploads without `evidenceId`. Idempotent; every instance may run it.
 */
export async function purgeStaleUploads(services: CaseServices, olderThanSeconds: number): Promise<number> {
  const cutoff = new Date(services.clock().getTime() - olderThanSeconds * 1000);
  const stale = await Upload.find({ evidenceId: null, createdAt: { $lt: cutoff } }, { _id: 1, totalChunks: 1 }).lean();
  for (const upload of stale) {
    const ids = Array.from({ length: upload.totalChunks }, (_, i) => chunkId(upload._id, i));
    const chunks = await UploadChunk.find({ _id: { $in: ids } }, { blobKey: 1 }).lean();
    for (const chunk of chunks) await services.blobs.delete(chunk.blobKey);
    await UploadChunk.deleteMany({ _id: { $in: ids } });
    await Upload.deleteOne({ _id: upload._id, evidenceId: null });
  }
  return stale.length;
}
