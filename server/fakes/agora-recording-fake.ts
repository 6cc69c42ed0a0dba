import { randomBytes, randomUUID } from 'node:crypto';
import type Router from '@koa/router';
import type { Context } from 'koa';
import { FakeService } from './fake-service';

interface Session {
  cname: string;
  uid: string;
  resourceId: string;
  sid: string;
  startedAt: Date;
}

/**
 * Agora cloud recording REST (v1), mix mode: acquire → start → stop, Basic auth, the same error
 * shapes (`{ code, reason }`; 404 when the session is not running). Stopping returns the file list a
 * composite recording produces (an .m3u8 playlist and its .ts segments).
 */
export class AgoraRecordingFake extends FakeService {
  private resources = new Map<string, { cname: string; uid: string; at: Date }>();
  private sessions = new Map<string, Session>();

  constructor(
    private readonly appId: string,
    private readonly customerId: string,
    private readonly customerSecret: string,
  ) {
    super('agora-recording');
  }

  /** Recordings running now, by channel. */
  running(): Session[] {
    return [...this.sessions.values()];
  }

  protected override resetState(): void {
    this.resources.clear();
    this.sessions.clear();
  }

  protected routes(router: Router): void {
    const base = '/v1/apps/:appid/cloud_recording';
    router.post(`${base}/acquire`, this.api('acquire', (ctx) => this.guard(ctx, () => this.acquire(ctx))));
    router.post(`${base}/resourceid/:rid/mode/:mode/start`, this.api('start', (ctx) => this.guard(ctx, () => this.startRecording(ctx))));
    router.post(`${base}/resourceid/:rid/sid/:sid/mode/:mode/stop`, this.api('stop', (ctx) => this.guard(ctx, () => this.stopRecording(ctx))));
    router.get(`${base}/resourceid/:rid/sid/:sid/mode/:mode/query`, this.api('query', (ctx) => this.guard(ctx, () => this.query(ctx))));
  }

  private guard(ctx: Context, handle: () => unknown) {
    const expected = `Basic ${Buffer.from(`${this.customerId}:${this.customerSecret}`).toString('base64')}`;
    if (ctx.get('authorization') !== expected) {
      ctx.status = 401;
      return { code: 401, reason: 'Invalid authentication credentials' };
    }
    if (ctx.params.appid !== this.appId) {
      ctx.status = 400;
      return { code: 2, reason: 'invalid appid' };
    }
    return handle();
  }

  private acquire(ctx: Context) {
    const body = (ctx.request as { body?: { cname?: string; uid?: string } }).body ?? {};
    if (!body.cname || typeof body.uid !== 'string') {
      ctx.status = 400;
      return { code: 2, reason: 'cname and uid (string) required' };
    }
    const resourceId = randomBytes(48).toString('base64url');
    this.resources.set(resourceId, { cname: body.cname, uid: body.uid, at: new Date() });
    return { resourceId };
  }

  private startRecording(ctx: Context) {
    const body = (ctx.request as { body?: { cname?: string; uid?: string; clientRequest?: { token?: string } } }).body ?? {};
    const resource = this.resources.get(ctx.params.rid!);
    // A resource id is good for five minutes and for the channel/uid it was acquired for.
    if (!resource || resource.cname !== body.cname || resource.uid !== body.uid || Date.now() - resource.at.getTime() > 5 * 60_000) {
      ctx.status = 400;
      return { code: 2, reason: 'invalid resourceId' };
    }
    if (!body.clientRequest?.token?.startsWith('006')) {
      ctx.status = 400;
      return { code: 2, reason: 'invalid token' };
    }
    const sid = randomUUID().replace(/-/g, '');
    this.sessions.set(sid, { cname: body.cname!, uid: body.uid!, resourceId: ctx.params.rid!, sid, startedAt: new Date() });
    return { cname: body.cname, uid: body.uid, resourceId: ctx.params.rid, sid };
  }

  private query(ctx: Context) {
    const session = this.sessions.get(ctx.params.sid!);
    if (!session) {
      ctx.status = 404;
      return { code: 404, reason: 'failed to find worker' };
    }
    return { resourceId: session.resourceId, sid: session.sid, serverResponse: { status: 5, fileList: '', fileListMode: 'string' } };
  }

  private stopRecording(ctx: Context) {
    const session = this.sessions.get(ctx.params.sid!);
    if (!session) {
      ctx.status = 404;
      return { code: 404, reason: 'failed to find worker' };
    }
    this.sessions.delete(session.sid);
    const prefix = `${session.sid}_${session.cname}`;
    return {
      resourceId: session.resourceId,
      sid: session.sid,
      serverResponse: {
        fileListMode: 'json',
        fileList: [
          { fileName: `${prefix}.m3u8`, trackType: 'audio_and_video', uid: '0', mixedAllUser: true, isPlayable: true, sliceStartTime: session.startedAt.getTime() },
          { fileName: `${prefix}_0.ts`, trackType: 'audio_and_video', uid: '0', mixedAllUser: true, isPlayable: true, sliceStartTime: session.startedAt.getTime() },
        ],
        uploadingStatus: 'uploaded',
      },
    };
  }
}
