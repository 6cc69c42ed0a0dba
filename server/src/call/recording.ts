import type { AgoraRecordingClient } from '../clients/agora-recording/recording-client';
import { edit, type CaseFieldChanges, type CaseSnapshot, type CaseEditKind } from '../cases';
import type { CallServices, RecordingService } from './call-services';
import { fixEvidence, recordOnCase } from '../evidence';
import { channelFor, issueRtcToken } from './rtc';

/** The recorder's seat in the channel: clear of the dispatcher (1) and the parties (101–103). */
export const RECORDER_UID = 999;


/**
 * The recording follows the case by its events (cases/case-listeners.ts): it starts when a dispatcher
 * answers, stops when the case is released or redirected, and once stopped its manifest is fixed as
 * evidence. Nothing that answers or releases a case calls the recorder itself.
 */
export function listenForRecording(services: CallServices): void {
  const { caseListeners } = services;
  // A failure is logged by the listeners with the listener's name; the call goes on without the cloud copy.
  caseListeners.on('answer', 'recording:start', ({ case: c }) => services.recording.start(services, c));
  caseListeners.on(['release', 'redirect'], 'recording:stop', ({ case: c }) => services.recording.stop(services, c));
  caseListeners.on('recording_stopped', 'recording:manifest-as-evidence', ({ case: c }) => services.recording.fixManifest(services, c));
}

export function createRecordingService(client: AgoraRecordingClient, storageConfig: Record<string, unknown>): RecordingService {
  const record = (services: CallServices, caseId: string, kind: Extract<CaseEditKind, `recording_${string}`>, recording: (current: CaseSnapshot) => Record<string, unknown>) =>
    edit(caseId, kind, { kind: 'system', id: null }, (current) => ({ set: { recording: recording(current) } as CaseFieldChanges }), services);

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
    },
    async fixManifest(services, c) {
      const caseId = String(c._id);
      const stopped = c.recording;
      if (stopped?.state !== 'stopped' || !stopped.resourceId || !stopped.sid) return;
      // The recording itself sits in the storage Agora writes to; what the case fixes as evidence is its
      // manifest (where, which files, when), hashed and chained like every other item.
      const manifest = {
        channel: channelFor(caseId),
        resourceId: stopped.resourceId,
        sid: stopped.sid,
        storage: { vendor: storageConfig.vendor ?? null, bucket: storageConfig.bucket ?? null },
        files: stopped.files,
        stoppedAt: services.clock().toISOString(),
      };
      const item = await fixEvidence(services, {
        caseId,
        sourceId: `recording-${stopped.sid}`,
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
