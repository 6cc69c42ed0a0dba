import { fetchJson, joinUrl } from '../http/fetch-json';

/**
 * Agora cloud recording REST API (v1): acquire a resource, start, stop — HTTP Basic auth with the
 * customer id and secret. One recorder per channel, under its own uid (a string in these calls).
 * See docs/contracts/README.md ("Agora cloud recording").
 */
export interface RecordingClientOptions {
  baseUrl: string;
  appId: string;
  customerId: string;
  customerSecret: string;
  timeoutMs: number;
}

export interface RecordingStarted {
  resourceId: string;
  sid: string;
}

export interface RecordingStopped {
  resourceId: string;
  sid: string;
  serverResponse?: { fileListMode?: string; fileList?: { fileName: string }[] | string; uploadingStatus?: string };
}

export class AgoraRecordingError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(`Agora cloud recording ${status}: ${detail}`);
    this.name = 'AgoraRecordingError';
  }
}

export class AgoraRecordingClient {
  constructor(private readonly options: RecordingClientOptions) {}

  private get auth() {
    return `Basic ${Buffer.from(`${this.options.customerId}:${this.options.customerSecret}`).toString('base64')}`;
  }

  /** Agora answers errors as `{ code, reason }` (e.g. 404 when no recorder is running, 2 for a bad parameter). */
  private async call<T>(method: 'POST' | 'GET', path: string, body?: unknown): Promise<T & { code?: number; reason?: string }> {
    const url = joinUrl(this.options.baseUrl, `/v1/apps/${this.options.appId}/cloud_recording${path}`);
    return fetchJson<T & { code?: number; reason?: string }>(url, { service: 'agora-recording', method, body, headers: { authorization: this.auth }, timeoutMs: this.options.timeoutMs });
  }

  /** Acquire (valid 5 minutes) and start composite (mix) recording of the channel with the recorder's token. */
  async start(channel: string, recorderUid: string, token: string, storageConfig: Record<string, unknown>): Promise<RecordingStarted> {
    const acquired = await this.call<{ resourceId: string }>('POST', '/acquire', { cname: channel, uid: recorderUid, clientRequest: {} });
    if (!acquired.resourceId) throw new AgoraRecordingError(acquired.code ?? 0, acquired.reason ?? 'acquire failed');
    const resourceId = acquired.resourceId;
    const started = await this.call<{ resourceId: string; sid: string }>('POST', `/resourceid/${resourceId}/mode/mix/start`, {
      cname: channel,
      uid: recorderUid,
      clientRequest: { token, recordingConfig: { channelType: 0, streamTypes: 2, maxIdleTime: 30 }, storageConfig },
    });
    if (!started.sid) throw new AgoraRecordingError(started.code ?? 0, started.reason ?? 'start failed');
    return { resourceId: started.resourceId, sid: started.sid };
  }

  /** Stops and returns the file names; 404 means the recorder already stopped by itself (idle). */
  async stop(channel: string, recorderUid: string, resourceId: string, sid: string): Promise<string[]> {
    const stopped = await this.call<RecordingStopped>('POST', `/resourceid/${resourceId}/sid/${sid}/mode/mix/stop`, { cname: channel, uid: recorderUid, clientRequest: {} });
    if (stopped.code === 404 || stopped.code === 435) return [];
    if (stopped.code !== undefined && !stopped.sid) throw new AgoraRecordingError(stopped.code, stopped.reason ?? 'stop failed');
    const list = stopped.serverResponse?.fileList;
    if (!list) return [];
    return typeof list === 'string' ? [list] : list.map((f) => f.fileName);
  }
}
