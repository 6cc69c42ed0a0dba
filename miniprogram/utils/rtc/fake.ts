/**
 * An RtcClient without a network: for the tests and for the local demo (the developer tools cannot
 * run <live-pusher> anyway). It keeps the real client's rules that pages rely on — init before
 * join, join before publish/subscribe, nothing after destroy — and emits the same events, when told
 * to: `addRemote(uid)` is a remote party's stream arriving (announced at once if joined, else right
 * after the join, as the SDK announces streams already in the channel), `willExpire()` the token
 * warning, `fail()` a dropped connection. Every call is recorded in `calls`.
 */
import { RtcError, type RtcClient, type RtcErrorInfo, type RtcEventName, type RtcEvents, type RtcHandler } from './types';

export const FAKE_RTC_HOST = 'rtmp://fake-rtc.invalid';

type Method = 'init' | 'join' | 'publish' | 'subscribe' | 'renewToken' | 'rejoin' | 'leave' | 'destroy';

export class FakeRtcClient implements RtcClient {
  /** Every method call in order, with its arguments. */
  readonly calls: { method: Method; args: unknown[] }[] = [];
  appId = '';
  token = '';
  channel = '';
  uid = 0;
  joined = false;
  destroyed = false;
  private readonly remotes = new Set<number>();
  private readonly handlers = new Map<RtcEventName, ((payload: unknown) => void)[]>();
  private readonly failures = new Map<Method, RtcErrorInfo>();

  /** The next call of `method` rejects with `error` (once). */
  failNext(method: Method, error: RtcErrorInfo = { code: 1, reason: 'fake failure' }): void {
    this.failures.set(method, error);
  }

  /** The calls of one method, as argument lists. */
  callsOf(method: Method): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  init(appId: string): Promise<void> {
    return this.run('init', [appId], () => {
      this.appId = appId;
    });
  }

  join(token: string, channel: string, uid: number): Promise<void> {
    return this.run('join', [token, channel, uid], () => {
      if (!this.appId) throw new RtcError(2, 'join before init');
      this.enter(token, channel, uid);
    });
  }

  publish(): Promise<string> {
    return this.run('publish', [], () => {
      this.mustBeJoined('publish');
      return `${FAKE_RTC_HOST}/${this.channel}/${this.uid}/push`;
    });
  }

  subscribe(uid: number): Promise<string> {
    return this.run('subscribe', [uid], () => {
      this.mustBeJoined('subscribe');
      return `${FAKE_RTC_HOST}/${this.channel}/${uid}/play`;
    });
  }

  renewToken(token: string): Promise<void> {
    return this.run('renewToken', [token], () => {
      this.mustBeJoined('renewToken');
      this.token = token;
    });
  }

  rejoin(token: string, channel: string, uid: number, knownUids: number[]): Promise<void> {
    return this.run('rejoin', [token, channel, uid, [...knownUids]], () => {
      if (!this.appId) throw new RtcError(2, 'rejoin before init');
      this.enter(token, channel, uid);
    });
  }

  leave(): Promise<void> {
    return this.run('leave', [], () => {
      this.joined = false;
    });
  }

  destroy(): Promise<void> {
    return this.run('destroy', [], () => {
      this.joined = false;
      this.destroyed = true;
      this.handlers.clear();
    });
  }

  on<E extends RtcEventName>(event: E, handler: RtcHandler<E>): void {
    const list = this.handlers.get(event) ?? [];
    list.push(handler as (payload: unknown) => void);
    this.handlers.set(event, list);
  }

  // What the network would do, on demand.

  /** A remote uid publishes (the dispatcher is 1, parties 101…). */
  addRemote(uid: number): void {
    this.remotes.add(uid);
    if (this.joined) this.emit('stream-added', { uid });
  }

  removeRemote(uid: number): void {
    this.remotes.delete(uid);
    if (this.joined) this.emit('stream-removed', { uid });
  }

  updateUrl(uid: number, url: string): void {
    this.emit('update-url', { uid, url });
  }

  willExpire(): void {
    this.emit('token-privilege-will-expire', {});
  }

  didExpire(): void {
    this.joined = false;
    this.emit('token-privilege-did-expire', {});
  }

  /** The connection drops with an SDK error (501, 904 … mean: rejoin). */
  fail(code = 904, reason = 'connection lost'): void {
    this.joined = false;
    this.emit('error', { code, reason });
  }

  ban(reason = 'banned by server'): void {
    this.joined = false;
    this.emit('client-banned', { code: 0, reason });
  }

  emit<E extends RtcEventName>(event: E, payload: RtcEvents[E]): void {
    for (const handler of [...(this.handlers.get(event) ?? [])]) handler(payload);
  }

  private enter(token: string, channel: string, uid: number): void {
    this.token = token;
    this.channel = channel;
    this.uid = uid;
    this.joined = true;
    // The SDK announces the streams already in the channel right after the join.
    const present = [...this.remotes];
    setTimeout(() => {
      for (const remote of present) if (this.joined && this.remotes.has(remote)) this.emit('stream-added', { uid: remote });
    }, 0);
  }

  private mustBeJoined(what: string): void {
    if (!this.joined) throw new RtcError(3, `${what} outside the channel`);
  }

  private run<T>(method: Method, args: unknown[], body: () => T): Promise<T> {
    this.calls.push({ method, args });
    if (this.destroyed) return Promise.reject(new RtcError(4, `${method} after destroy`));
    const failure = this.failures.get(method);
    if (failure) {
      this.failures.delete(method);
      return Promise.reject(new RtcError(failure.code, failure.reason));
    }
    try {
      return Promise.resolve(body());
    } catch (err) {
      return Promise.reject(err);
    }
  }
}
