import type {
  ConnectionDisconnectedReason,
  ConnectionState,
  IAgoraRTC,
  IAgoraRTCClient,
  IAgoraRTCRemoteUser,
  ICameraVideoTrack,
  IMicrophoneAudioTrack,
} from 'agora-rtc-sdk-ng';
import type { RtcCredentials, RtcMember } from '../../../../typings/api/call';
import { Emitter, type RtcConnection, type RtcSession } from './types';

/**
 * The real call, through Agora's Web SDK (`agora-rtc-sdk-ng`, bundled from node_modules by Vite into
 * its own chunk under /console/assets — never a CDN). Loaded only when a real call starts, so the
 * queue view and tests with the fake never download its ~1.5 MB.
 *
 * Production CSP: the console's CSP is `default-src 'self'` with `connect-src 'self'`. The SDK talks
 * to Agora's own servers (gateway/WebSocket and logging: *.agora.io, *.edge.agora.io, *.sd-rtn.com,
 * *.edge.sd-rtn.com; media over WebRTC, which CSP does not govern). A deployment with real Agora must
 * add those to `connect-src` (https: and wss:) in server/src/console/console.routes.ts — or use
 * Agora's cloud proxy / private deployment and list that host instead. Tests never load this file.
 */
export async function createAgoraSession(): Promise<RtcSession> {
  const { default: AgoraRTC } = await import('agora-rtc-sdk-ng');
  return new AgoraSession(AgoraRTC);
}

const STATES: Record<ConnectionState, RtcConnection> = {
  DISCONNECTED: 'disconnected',
  CONNECTING: 'connecting',
  RECONNECTING: 'reconnecting',
  CONNECTED: 'connected',
  DISCONNECTING: 'disconnected',
};

class AgoraSession implements RtcSession {
  readonly kind = 'agora' as const;
  private readonly events = new Emitter();
  private readonly client: IAgoraRTCClient;
  private mic: IMicrophoneAudioTrack | null = null;
  private camera: ICameraVideoTrack | null = null;
  private cameraIds: string[] = [];
  private cameraIndex = 0;

  constructor(private readonly sdk: IAgoraRTC) {
    // Errors only in the console; no log upload to Agora from a police desk.
    sdk.setLogLevel(3);
    sdk.disableLogUpload();
    this.client = sdk.createClient({ mode: 'rtc', codec: 'vp8' });
    this.client.on('user-published', (user: IAgoraRTCRemoteUser, mediaType) => void this.subscribe(user, mediaType));
    this.client.on('user-unpublished', (user: IAgoraRTCRemoteUser, mediaType) => {
      if (mediaType === 'video') this.events.emit('track', Number(user.uid), null);
    });
    this.client.on('user-left', (user: IAgoraRTCRemoteUser) => this.events.emit('track', Number(user.uid), null));
    this.client.on('connection-state-change', (state: ConnectionState, _prev: ConnectionState, reason?: ConnectionDisconnectedReason) =>
      this.events.emit('connection', STATES[state], reason),
    );
    this.client.on('token-privilege-will-expire', () => this.events.emit('tokenExpiring'));
  }

  on: RtcSession['on'] = (event, listener) => this.events.on(event, listener);

  async join(credentials: RtcCredentials): Promise<void> {
    await this.client.join(credentials.appId, credentials.channel, credentials.token, credentials.uid);
    // A desk without a camera or microphone still hears and sees the parties: publish what exists.
    const published = [];
    try {
      this.mic = await this.sdk.createMicrophoneAudioTrack();
      published.push(this.mic);
    } catch {
      this.mic = null;
    }
    try {
      this.cameraIds = (await this.sdk.getCameras()).map((c) => c.deviceId);
      this.camera = await this.sdk.createCameraVideoTrack(this.cameraIds[0] ? { cameraId: this.cameraIds[0] } : {});
      published.push(this.camera);
      this.emitLocal();
    } catch {
      this.camera = null;
    }
    if (published.length > 0) await this.client.publish(published);
  }

  async leave(): Promise<void> {
    this.mic?.close();
    this.camera?.close();
    this.mic = this.camera = null;
    this.events.emit('local', null);
    await this.client.leave();
  }

  async renewToken(token: string): Promise<void> {
    await this.client.renewToken(token);
  }

  async setMicEnabled(enabled: boolean): Promise<void> {
    await this.mic?.setEnabled(enabled);
  }

  async setCameraEnabled(enabled: boolean): Promise<void> {
    if (!this.camera) return;
    await this.camera.setEnabled(enabled);
    if (enabled) this.emitLocal();
    else this.events.emit('local', null);
  }

  async switchCamera(): Promise<string | null> {
    if (!this.camera) return null;
    const cameras = await this.sdk.getCameras();
    this.cameraIds = cameras.map((c) => c.deviceId);
    if (cameras.length < 2) return null;
    this.cameraIndex = (this.cameraIndex + 1) % cameras.length;
    const next = cameras[this.cameraIndex]!;
    await this.camera.setDevice(next.deviceId);
    this.emitLocal();
    return next.label || `摄像头 ${this.cameraIndex + 1}`;
  }

  /** The channel itself says who is there; nothing to do. */
  expectMembers(_members: readonly RtcMember[]): void {}

  private async subscribe(user: IAgoraRTCRemoteUser, mediaType: 'audio' | 'video' | 'datachannel'): Promise<void> {
    if (mediaType === 'datachannel') return;
    await this.client.subscribe(user, mediaType);
    if (mediaType === 'audio') {
      // The SDK plays remote audio itself (and handles the browser's autoplay rules).
      user.audioTrack?.play();
      return;
    }
    const track = user.videoTrack?.getMediaStreamTrack();
    if (track) this.events.emit('track', Number(user.uid), new MediaStream([track]));
  }

  private emitLocal(): void {
    const track = this.camera?.getMediaStreamTrack();
    this.events.emit('local', track ? new MediaStream([track]) : null);
  }
}
