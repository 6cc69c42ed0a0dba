/**
 * Evidence photos on their way to the server, made to survive a roadside signal and a killed app.
 *
 * Each photo is an item in wx storage (key `uploadQueue`) from the moment it is taken, its file
 * copied out of WeChat's temp folder where the system may delete it. Sending is the server's
 * resumable upload: create the upload with a stable `uploadKey` (a retry after a lost answer gets
 * the same upload back), PUT each chunk as raw bytes, `complete` with the SHA-256 of the whole file
 * and of each chunk (the server fixes the photo only if it put together exactly these bytes; else it
 * drops the chunks that differ, and they are sent again). After any failure, and after the app
 * restarts, the queue first asks the server which chunks it already holds and sends only the others. Offline (wx.getNetworkType 'none', or a request failing without an answer while the
 * phone reports no network) the items wait, and go as soon as wx.onNetworkStatusChange says the
 * network is back; on a merely bad network they are tried again with growing pauses.
 *
 * One photo at a time, chunks in order: a weak uplink does not get faster by sharing it.
 */
import type { UploadSession } from '../../typings/api/call';
import { ApiRequestError, hasCode, userMessage } from './errors';
import { newIdempotencyKey } from './id';
import { apiWith } from './request';
import { dropFile, fileClaim, FileLostError, keepFile, readChunk } from './evidenceFile';
import { loadStored, mimeTypeOf, STALE_MS, STORAGE_KEY, storedUploads, UPLOAD_MESSAGES, type PhotoFile, type QueuedUpload, type ShotTarget, type UploadStatus } from './uploadItem';

export { mimeTypeOf, sentBytes, storedUploads, UPLOAD_MESSAGES } from './uploadItem';
export type { PhotoFile, QueuedUpload, ShotTarget, UploadKind, UploadStatus } from './uploadItem';

/** A chunk may take long on 2G/3G; the server's chunk size is what it is. */
export const CHUNK_TIMEOUT_MS = 60000;
/** Pauses before the 1st, 2nd, 3rd … retry on a bad (not absent) network; the last repeats. */
export const UPLOAD_RETRY_DELAYS_MS: readonly number[] = [1000, 3000, 10000, 30000];
/** UPLOAD_NOT_FOUND this often in a row: something else is wrong; stop and say so. */
const MAX_RESTARTS = 3;
/** UPLOAD_HASH_MISMATCH after this many rounds of re-sending: the file itself is unstable; stop and say so. */
const MAX_MISMATCHES = 2;

function networkType(): Promise<string> {
  return new Promise((resolve) => {
    wx.getNetworkType({
      success: (res) => resolve(res.networkType),
      fail: () => resolve('unknown'), // cannot tell: try, and let the request decide
    });
  });
}

/** No answer at all, or one saying "try later": the network's fault, not the photo's. */
function isTransient(err: unknown): boolean {
  return hasCode(err, 'NETWORK_FAILED', 'SERVICE_UNAVAILABLE', 'UPSTREAM_UNAVAILABLE') || (err instanceof ApiRequestError && (err.status === 429 || err.status >= 500));
}

const ACTIVE: readonly UploadStatus[] = ['waiting', 'uploading', 'offline', 'retrying'];

export class UploadQueue {
  private items: QueuedUpload[] = [];
  private running = false;
  private again = false;
  private stopped = true;
  private online = true;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly onNetwork = (res: WechatMiniprogram.OnNetworkStatusChangeListenerResult): void => {
    this.online = res.isConnected;
    if (!res.isConnected) {
      this.markOffline();
      return;
    }
    // Back online: everything waiting goes now, without sitting out its pause.
    for (const item of this.items) {
      if (item.status === 'offline' || item.status === 'retrying') Object.assign(item, { status: 'waiting', retryAt: 0, error: '' });
    }
    this.changed();
    this.kick();
  };

  /**
   * `purpose`: the call's shots or a 复核 application's photos. Both are kept under the case in the
   * same storage; each queue picks up and sends only its own (a reopened call page must not send
   * review photos, nor the review form the call's).
   */
  constructor(
    private readonly caseId: string,
    private readonly onChange: (items: readonly QueuedUpload[]) => void,
    private readonly purpose: 'call' | 'review' = 'call',
  ) {}

  private isMine(item: QueuedUpload): boolean {
    return item.caseId === this.caseId && (item.kind === 'review_evidence') === (this.purpose === 'review');
  }

  /** Picks up what storage holds for this case and starts sending. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.pruneStale();
    this.items = storedUploads(this.caseId).filter((item) => this.isMine(item)).map((item) => ({
      ...item,
      // Whatever was under way when the app stopped: ask the server what arrived.
      status: item.status === 'failed' ? 'failed' : 'waiting',
      resync: item.uploadId !== null,
      retryAt: 0,
      mismatches: item.mismatches ?? 0, // stored by a version without it
    }));
    wx.onNetworkStatusChange(this.onNetwork);
    this.changed();
    void this.refreshNetwork().then(() => this.kick());
  }

  /** Forgets other cases' photos that have waited for a week: nobody is coming back for them. */
  private pruneStale(): void {
    const now = Date.now();
    const stored = loadStored();
    const stale = stored.filter((i) => i.caseId !== this.caseId && now - Date.parse(i.queuedAt) > STALE_MS);
    if (!stale.length) return;
    for (const item of stale) dropFile(item.filePath);
    wx.setStorageSync(STORAGE_KEY, stored.filter((i) => !stale.includes(i)));
  }

  /** Stops sending (the page closes). Storage keeps the rest for next time. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    // The typings give off() a different callback type; WeChat wants the very function given to on().
    wx.offNetworkStatusChange(this.onNetwork as unknown as WechatMiniprogram.OffNetworkStatusChangeCallback);
  }

  list(): readonly QueuedUpload[] {
    return this.items;
  }

  /** Queues a photo just taken (replacing a failed one for the same shot) and sends it when it can. */
  async add(file: PhotoFile, target: ShotTarget): Promise<QueuedUpload> {
    const uploadKey = newIdempotencyKey();
    const filePath = await keepFile(file.tempFilePath, uploadKey);
    const item: QueuedUpload = {
      uploadKey,
      caseId: this.caseId,
      shotRequestId: target.shotRequestId,
      kind: target.kind,
      label: target.label,
      mimeType: mimeTypeOf(file.tempFilePath),
      filePath,
      size: file.size,
      uploadId: null,
      chunkSize: 0,
      totalChunks: 0,
      received: [],
      resync: false,
      status: 'waiting',
      error: '',
      failures: 0,
      retryAt: 0,
      restarts: 0,
      mismatches: 0,
      lost: false,
      queuedAt: new Date().toISOString(),
      evidenceId: null,
    };
    const replaced = this.items.filter((i) => i.status === 'failed' && target.shotRequestId !== null && i.shotRequestId === target.shotRequestId);
    for (const old of replaced) dropFile(old.filePath);
    this.items = [...this.items.filter((i) => !replaced.includes(i)), item];
    this.changed();
    await this.refreshNetwork();
    this.kick();
    return item;
  }

  /** 重试 on a failed photo. */
  retry(uploadKey: string): void {
    const item = this.items.find((i) => i.uploadKey === uploadKey);
    if (!item || item.status !== 'failed' || item.lost) return;
    Object.assign(item, { status: 'waiting', error: '', failures: 0, restarts: 0, mismatches: 0, retryAt: 0, resync: item.uploadId !== null });
    this.changed();
    this.kick();
  }

  private async refreshNetwork(): Promise<void> {
    this.online = (await networkType()) !== 'none';
    if (!this.online) this.markOffline();
  }

  private markOffline(): void {
    let any = false;
    for (const item of this.items) {
      if (item.status === 'waiting' || item.status === 'retrying' || item.status === 'uploading') {
        Object.assign(item, { status: 'offline', error: '' });
        any = true;
      }
    }
    if (any) this.changed();
  }

  private changed(): void {
    const others = loadStored().filter((i) => !this.isMine(i));
    wx.setStorageSync(STORAGE_KEY, [...others, ...this.items.filter((i) => i.status !== 'done')]);
    this.onChange(this.items.map((i) => ({ ...i, received: [...i.received] })));
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    void this.drain();
  }

  private next(now: number): QueuedUpload | undefined {
    return this.items.find((i) => i.status === 'waiting' || i.status === 'uploading' || (i.status === 'retrying' && i.retryAt <= now));
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      do {
        this.again = false;
        for (;;) {
          if (this.stopped) return;
          if (!this.online) {
            this.markOffline();
            break;
          }
          const item = this.next(Date.now());
          if (!item) break;
          if (!(await this.send(item))) break; // the network failed: the pause (or the network event) decides
        }
      } while (this.again && !this.stopped);
    } finally {
      this.running = false;
    }
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.stopped || this.timer !== null) return;
    const due = this.items.filter((i) => i.status === 'retrying').map((i) => i.retryAt);
    if (!due.length) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.kick();
    }, Math.max(0, Math.min(...due) - Date.now()));
  }

  /** Takes the server's word for the upload. */
  private adopt(item: QueuedUpload, session: UploadSession, sentIndex?: number): void {
    const received = new Set(session.received);
    if (sentIndex !== undefined) received.add(sentIndex);
    Object.assign(item, {
      uploadId: session.uploadId,
      chunkSize: session.chunkSize,
      totalChunks: session.totalChunks,
      received: [...received].sort((a, b) => a - b),
      resync: false,
      evidenceId: session.evidence?.id ?? item.evidenceId,
    });
    this.changed();
  }

  /** One photo to the end. false: the network failed (stop for now); true: go on with the next. */
  private async send(item: QueuedUpload): Promise<boolean> {
    Object.assign(item, { status: 'uploading', error: '' });
    this.changed();
    try {
      if (item.uploadId === null) {
        const session = await apiWith(
          'POST /api/v1/cases/:id/uploads',
          { params: { id: item.caseId }, idempotencyKey: item.uploadKey, retry: false },
          {
            uploadKey: item.uploadKey,
            kind: item.kind,
            mimeType: item.mimeType,
            size: item.size,
            ...(item.shotRequestId ? { shotRequestId: item.shotRequestId } : {}),
          },
        );
        this.adopt(item, session);
      } else if (item.resync) {
        this.adopt(item, await apiWith('GET /api/v1/uploads/:uploadId', { params: { uploadId: item.uploadId }, retry: false }));
      }
      const uploadId = item.uploadId as string | null;
      if (uploadId === null) throw new Error('no upload id');

      if (!item.evidenceId) {
        for (let index = 0; index < item.totalChunks; index += 1) {
          if (item.received.includes(index)) continue;
          if (this.stopped) return false;
          const position = index * item.chunkSize;
          const data = await readChunk(item.filePath, position, Math.min(item.chunkSize, item.size - position));
          try {
            const session = await apiWith(
              'PUT /api/v1/uploads/:uploadId/chunks/:index',
              { params: { uploadId, index: String(index) }, retry: false, timeoutMs: CHUNK_TIMEOUT_MS },
              data,
            );
            this.adopt(item, session, index);
          } catch (err) {
            if (!hasCode(err, 'CHUNK_CONFLICT')) throw err;
            // The server kept other bytes for this chunk. Which copy is right is settled by complete:
            // the hashes show it, and the server drops its copy if it is not this file's.
            item.received = [...item.received, index].sort((a, b) => a - b);
            this.changed();
          }
        }
        const claim = await fileClaim(item);
        this.adopt(item, await apiWith('POST /api/v1/uploads/:uploadId/complete', { params: { uploadId }, retry: false }, claim));
      }
      Object.assign(item, { status: 'done', error: '', failures: 0 });
      dropFile(item.filePath);
      this.changed();
      return true;
    } catch (err) {
      return this.failed(item, err);
    }
  }

  private async failed(item: QueuedUpload, err: unknown): Promise<boolean> {
    if (err instanceof FileLostError) {
      Object.assign(item, { status: 'failed', lost: true, error: UPLOAD_MESSAGES.lost });
      this.changed();
      return true;
    }
    if (hasCode(err, 'UPLOAD_NOT_FOUND') && item.restarts < MAX_RESTARTS) {
      // The server lost or expired the upload: start it again from the first chunk.
      Object.assign(item, { status: 'waiting', uploadId: null, received: [], chunkSize: 0, totalChunks: 0, resync: false, restarts: item.restarts + 1 });
      this.changed();
      return true;
    }
    if (hasCode(err, 'UPLOAD_HASH_MISMATCH')) {
      item.mismatches += 1;
      if (item.mismatches <= MAX_MISMATCHES) {
        // The server dropped the chunks that differ from this file's: ask what it holds, send the rest.
        Object.assign(item, { status: 'waiting', resync: true, error: '' });
      } else {
        Object.assign(item, { status: 'failed', error: UPLOAD_MESSAGES.mismatch });
      }
      this.changed();
      return true;
    }
    if (isTransient(err) || hasCode(err, 'UPLOAD_INCOMPLETE')) {
      item.failures += 1;
      item.resync = item.uploadId !== null; // the last answer may have been lost: ask before sending again
      if (hasCode(err, 'NETWORK_FAILED')) await this.refreshNetwork();
      if (!this.online) {
        Object.assign(item, { status: 'offline', error: '' });
      } else {
        const delay = UPLOAD_RETRY_DELAYS_MS[Math.min(item.failures, UPLOAD_RETRY_DELAYS_MS.length) - 1] ?? 1000;
        Object.assign(item, { status: 'retrying', retryAt: Date.now() + delay, error: '' });
      }
      this.changed();
      return false;
    }
    // Refused for good (wrong type, too large, the call is over …): say why; 重试 is the driver's.
    Object.assign(item, { status: 'failed', error: hasCode(err, 'UPLOAD_NOT_FOUND') ? UPLOAD_MESSAGES.restart : userMessage(err) });
    this.changed();
    return true;
  }
}

export function isActive(item: Pick<QueuedUpload, 'status'>): boolean {
  return ACTIVE.includes(item.status);
}
