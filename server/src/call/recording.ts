import type { AgoraRecordingClient } from '../clients/agora-recording/recording-client';
import { edit, type CaseFieldChanges, type CaseSnapshot } from '../cases/case-revisions';
import type { CaseEditKind } from '../cases/lifecycle';
import type { AppServices } from '../platform/services';
import { fixEvidence, recordOnCase } from '../evidence/evidence.service';
import { channelFor, issueRtcToken } from './rtc';

/** The recorder's seat in the channel: clear of the dispatcher (1) and the parties (101–103). */
export const RECORDER_UID = 999;

export interface RecordingService {
  /** Starts cloud recording of the case's channel (on answer); stored on the case. */
  start(services: AppServices, c: CaseSnapshot): Promise<void>;
  /** Stops it (on release or redirect) and stores the returned file list with the case as evidence. */
  stop(services: AppServices, c: CaseSnapshot): Promise<void>;
}

export function createRecordingService(client: AgoraRecordingClient, storageConfig: Record<string, unknown>): RecordingService {
  const record = (services: AppServices, caseId: string, kind: Extract<CaseEditKind, `recording_${string}`>, recording: (current: CaseSnapshot) => Record<string, unknown>) =>
    edit(caseId, kind, { kind: 'system', id: null }, (current) => ({ set: { recording: recording(current) } as CaseFieldChanges }), services.pubsub);

  return {
    async start(services, c) {
      const caseId = String(c._id);
      const { token } = issueRtcToken({
        appId: services.config.AGORA_APP_ID,
        certificate: services.config.AGORA_APP_CERTIFICATE,
        caseId,
        uid: RECORDER_UID,
        now: services.clock(),
        ttlSeconds: services.config.RTC_TOKEN_TTL_SECONDS,
      });
      try {
        const { resourceId, sid } = await client.start(channelFor(caseId), String(RECORDER_UID), token, storageConfig);
        await record(services, caseId, 'recording_started', () => ({ state: 'recording', resourceId, sid, files: [] }));
      } catch (err) {
        // The call goes on without the cloud copy; the dispatcher sees the state and can fix evidence by stills.
        await record(services, caseId, 'recording_failed', (current) => ({ ...(current.recording ?? {}), state: 'failed' }));
        throw err;
      }
    },
    async stop(services, c) {
      const caseId = String(c._id);
      const current = c.recording;
      if (current?.state !== 'recording' || !current.resourceId || !current.sid) return;
      const files = await client.stop(channelFor(caseId), String(RECORDER_UID), current.resourceId, current.sid);
      await record(services, caseId, 'recording_stopped', (latest) => ({ ...(latest.recording ?? {}), state: 'stopped', files }));
      // The recording itself sits in the storage Agora writes to; what the case fixes as evidence is its
      // manifest (where, which files, when), hashed and chained like every other item.
      const manifest = {
        channel: channelFor(caseId),
        resourceId: current.resourceId,
        sid: current.sid,
        storage: { vendor: storageConfig.vendor ?? null, bucket: storageConfig.bucket ?? null },
        files,
        stoppedAt: services.clock().toISOString(),
      };
      const item = await fixEvidence(services, {
        caseId,
        sourceId: `recording-${current.sid}`,
        kind: 'recording',
        party: null,
        shotRequestId: null,
        mimeType: 'application/json',
        data: Buffer.from(JSON.stringify(manifest, null, 2)),
        actor: { kind: 'system', id: null },
      });
      await recordOnCase(services, item);
    },
  };
}
