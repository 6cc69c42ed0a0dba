import type { RtcCredentials, RtcMember } from '../../../../typings/api/call';

/** Where the call stands, for the page: a dropped line shows, and reconnecting is automatic. */
export type RtcConnection = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'failed';

export interface RtcEvents {
  /** A remote uid's video arrived (a stream to put in a `<video>`) or went away (null). */
  track: (uid: number, stream: MediaStream | null) => void;
  /** The dispatcher's own camera preview (null while the camera is off). */
  local: (stream: MediaStream | null) => void;
  connection: (state: RtcConnection, reason?: string) => void;
  /** The token runs out soon: fetch a new one and call renewToken (Agora warns 30 s before). */
  tokenExpiring: () => void;
}

/**
 * One dispatcher in one case's channel, whatever carries it. The page only ever talks to this, so
 * the Agora Web SDK (agora.ts) and the in-page stand-in used by tests and the demo (fake.ts) are
 * interchangeable. Remote video always arrives as a MediaStream for a plain `<video>`, so the page
 * draws every tile the same way and can grab a still frame from any of them.
 */
export interface RtcSession {
  /** 'agora' for the real SDK, 'fake' for the stand-in (the page says so on screen). */
  readonly kind: 'agora' | 'fake';
  join(credentials: RtcCredentials): Promise<void>;
  leave(): Promise<void>;
  renewToken(token: string): Promise<void>;
  setMicEnabled(enabled: boolean): Promise<void>;
  setCameraEnabled(enabled: boolean): Promise<void>;
  /** Next camera on this machine; resolves to its label, or null when there is only one. */
  switchCamera(): Promise<string | null>;
  /**
   * Who the case says is in the channel. The real SDK learns this from the channel itself and ignores
   * it; the fake uses it to play one moving picture per party.
   */
  expectMembers(members: readonly RtcMember[]): void;
  on<E extends keyof RtcEvents>(event: E, listener: RtcEvents[E]): () => void;
}

/** A tiny typed event hub shared by the adapters. */
export class Emitter {
  private listeners = new Map<keyof RtcEvents, Set<(...args: never[]) => void>>();

  on<E extends keyof RtcEvents>(event: E, listener: RtcEvents[E]): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (...args: never[]) => void);
    return () => set.delete(listener as (...args: never[]) => void);
  }

  emit<E extends keyof RtcEvents>(event: E, ...args: Parameters<RtcEvents[E]>): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: Parameters<RtcEvents[E]>) => void)(...args);
  }
}
