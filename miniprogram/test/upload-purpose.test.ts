/** The call's photos and a 复核 application's photos share storage under the case; each queue sends only its own. */
import { UploadQueue, type QueuedUpload } from '../utils/uploadQueue';
import { phone } from './call-harness';
import { fakeServer } from './fake-server';
import { signedIn } from './fixtures';

function stored(kind: QueuedUpload['kind'], uploadKey: string): QueuedUpload {
  return {
    uploadKey,
    caseId: 'case_1',
    shotRequestId: null,
    kind,
    label: uploadKey,
    mimeType: 'image/jpeg',
    filePath: `wxfile://usr/${uploadKey}.jpg`,
    size: 10,
    uploadId: null,
    chunkSize: 0,
    totalChunks: 0,
    received: [],
    resync: false,
    status: 'failed',
    error: '照片文件已丢失，请重新拍摄',
    failures: 0,
    retryAt: 0,
    restarts: 0,
    mismatches: 0,
    lost: true,
    queuedAt: new Date().toISOString(),
    evidenceId: null,
  };
}

test('a review queue picks up only review photos and keeps the call photos stored; the call queue the reverse', () => {
  wx.clearStorageSync();
  signedIn('verified');
  phone();
  fakeServer();
  wx.setStorageSync('uploadQueue', [stored('impact_point', 'call-1'), stored('review_evidence', 'review-1')]);

  const review = new UploadQueue('case_1', () => undefined, 'review');
  review.start();
  expect(review.list().map((i) => i.uploadKey)).toEqual(['review-1']);
  review.stop();
  const call = new UploadQueue('case_1', () => undefined);
  call.start();
  expect(call.list().map((i) => i.uploadKey)).toEqual(['call-1']);
  call.stop();
  expect((wx.getStorageSync('uploadQueue') as QueuedUpload[]).map((i) => i.uploadKey).sort()).toEqual(['call-1', 'review-1']);
});
