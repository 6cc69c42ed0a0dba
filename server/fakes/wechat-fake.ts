import { createHash, randomBytes } from 'node:crypto';
import type Router from '@koa/router';
import type { Context } from 'koa';
import { FakeService } from './fake-service';

/** Documented behaviour of the real service (docs/contracts.md → WeChat). */
const CODE_TTL_MS = 5 * 60 * 1000;
const LOGIN_LIMIT_PER_MINUTE = 100;
const ACCESS_TOKEN_TTL_S = 7200;
const VERIFY_ID_TTL_S = 3600;
const OUT_SEQ_NO = /^[A-Za-z0-9_-]{5,32}$/;

interface IssuedCode {
  openid: string;
  unionid?: string;
  issuedAt: number;
  used: boolean;
}

interface FaceSession {
  verifyId: string;
  outSeqNo: string;
  openid: string;
  certHash: string;
  expiresAt: number;
  /** What the user's phone produced through wx.requestFacialVerify; undefined until then. */
  verifyRet?: number;
}

export interface WechatFakeOptions {
  appId: string;
  secret: string;
  /**
   * The embedded demo runs the mini-program in WeChat's developer tools, whose wx.login codes this fake
   * cannot have issued: in demo mode an unknown code logs in as one fixed demo user. Off in tests.
   */
  acceptUnknownCodesAs?: string | null;
}

const err = (errcode: number, errmsg: string) => ({ errcode, errmsg });

/**
 * WeChat's server APIs: jscode2session, stable_token / token, and face verification 2.0.
 * Codes are single-use and expire; per-user login rate is limited; access tokens expire.
 */
export class WechatFake extends FakeService {
  private codes = new Map<string, IssuedCode>();
  private logins = new Map<string, number[]>();
  private tokens = new Map<string, number>();
  private stable: { token: string; expiresAt: number } | null = null;
  private faces = new Map<string, FaceSession>();
  now: () => number = Date.now;

  constructor(private readonly options: WechatFakeOptions) {
    super('wechat');
  }

  /** What `wx.login` gives the phone of this user: a fresh one-time code. */
  issueCode(openid: string, unionid?: string): string {
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, { openid, ...(unionid ? { unionid } : {}), issuedAt: this.now(), used: false });
    return code;
  }

  /** What the user's phone produced in `wx.requestFacialVerify` for this verify_id (10000 = pass). */
  completeFaceVerification(verifyId: string, verifyRet: number): void {
    const session = this.faces.get(verifyId);
    if (!session) throw new Error(`unknown verify_id ${verifyId}`);
    session.verifyRet = verifyRet;
  }

  /** Make a token the fake issued stale, as if 7200 s had passed. */
  expireAccessTokens(): void {
    for (const token of this.tokens.keys()) this.tokens.set(token, 0);
    if (this.stable) this.stable.expiresAt = 0;
  }

  protected override resetState(): void {
    this.codes.clear();
    this.logins.clear();
    this.tokens.clear();
    this.stable = null;
    this.faces.clear();
  }

  protected routes(router: Router): void {
    router.get('/sns/jscode2session', this.api('jscode2session', (ctx) => this.code2Session(ctx)));
    router.post('/cgi-bin/stable_token', this.api('stable_token', (ctx) => this.stableToken(ctx)));
    router.get('/cgi-bin/token', this.api('token', (ctx) => this.legacyToken(ctx)));
    router.post('/cityservice/face/identify/getverifyid', this.api('getverifyid', (ctx) => this.getVerifyId(ctx)));
    router.post('/cityservice/face/identify/queryverifyinfo', this.api('queryverifyinfo', (ctx) => this.queryVerifyInfo(ctx)));
  }

  /** Whom the developer tools' codes log in as from now on (the demo's "switch user"). */
  acceptUnknownCodesAs(openid: string): void {
    this.options.acceptUnknownCodesAs = openid;
  }

  protected override controlRoutes(router: Router): void {
    // Documented for the demo (README → Walk a whole case): a fresh one-time code for any openid, as
    // wx.login would give that user's phone; POST /api/v1/auth/wechat-login with it signs them in.
    router.post('/wechat/codes', (ctx) => {
      const { openid, unionid } = (ctx.request as { body?: { openid?: string; unionid?: string } }).body ?? {};
      if (!openid) return ctx.throw(400, 'openid required');
      ctx.body = { code: this.issueCode(openid, unionid) };
    });
    // Demo mode only: the developer tools' own wx.login codes sign in as this openid from now on.
    router.post('/wechat/tools-user', (ctx) => {
      const { openid } = (ctx.request as { body?: { openid?: string } }).body ?? {};
      if (!this.options.acceptUnknownCodesAs) return ctx.throw(409, 'not in demo mode: unknown codes are refused');
      if (typeof openid !== 'string' || !/^[\w-]{1,64}$/.test(openid)) return ctx.throw(400, 'openid required');
      this.acceptUnknownCodesAs(openid);
      ctx.body = { openid };
    });
    router.post('/wechat/face', (ctx) => {
      const { verify_id, verify_ret } = (ctx.request as { body?: { verify_id?: string; verify_ret?: number } }).body ?? {};
      this.completeFaceVerification(String(verify_id), Number(verify_ret));
      ctx.body = { ok: true };
    });
  }

  private checkApp(appid: unknown, secret: unknown) {
    if (appid !== this.options.appId) return err(40013, 'invalid appid');
    if (secret !== this.options.secret) return err(40125, 'invalid appsecret');
    return null;
  }

  private code2Session(ctx: Context) {
    const { appid, secret, js_code, grant_type } = ctx.query;
    const appError = this.checkApp(appid, secret);
    if (appError) return appError;
    if (grant_type !== 'authorization_code') return err(40002, 'invalid grant_type');
    if (typeof js_code !== 'string' || !js_code) return err(41008, 'missing code');

    let issued = this.codes.get(js_code);
    if (!issued && this.options.acceptUnknownCodesAs) {
      issued = { openid: this.options.acceptUnknownCodesAs, issuedAt: this.now(), used: false };
      this.codes.set(js_code, issued);
    }
    if (!issued || this.now() - issued.issuedAt > CODE_TTL_MS) return err(40029, 'invalid code');
    if (issued.used) return err(40163, 'code been used');

    const minuteAgo = this.now() - 60_000;
    const recent = (this.logins.get(issued.openid) ?? []).filter((t) => t > minuteAgo);
    if (recent.length >= LOGIN_LIMIT_PER_MINUTE) return err(45011, 'api minute-quota reach limit  mustslower  retry next minute');
    recent.push(this.now());
    this.logins.set(issued.openid, recent);

    issued.used = true;
    return {
      openid: issued.openid,
      session_key: randomBytes(16).toString('base64'),
      ...(issued.unionid ? { unionid: issued.unionid } : {}),
    };
  }

  private stableToken(ctx: Context) {
    const { grant_type, appid, secret, force_refresh } = (ctx.request as { body?: Record<string, unknown> }).body ?? {};
    if (grant_type !== 'client_credential') return err(40002, 'invalid grant_type');
    const appError = this.checkApp(appid, secret);
    if (appError) return appError;
    // Stable tokens are shared: the same one is returned until it expires, unless a refresh is forced.
    if (!this.stable || this.stable.expiresAt <= this.now() || force_refresh === true) {
      this.stable = { token: this.newToken(), expiresAt: this.now() + ACCESS_TOKEN_TTL_S * 1000 };
    }
    return { access_token: this.stable.token, expires_in: Math.floor((this.stable.expiresAt - this.now()) / 1000) };
  }

  private legacyToken(ctx: Context) {
    const { grant_type, appid, secret } = ctx.query;
    if (grant_type !== 'client_credential') return err(40002, 'invalid grant_type');
    const appError = this.checkApp(appid, secret);
    if (appError) return appError;
    return { access_token: this.newToken(), expires_in: ACCESS_TOKEN_TTL_S };
  }

  private newToken(): string {
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, this.now() + ACCESS_TOKEN_TTL_S * 1000);
    return token;
  }

  private checkToken(ctx: Context) {
    const token = ctx.query.access_token;
    if (typeof token !== 'string' || !token) return err(41001, 'access_token missing');
    const expiresAt = this.tokens.get(token);
    if (expiresAt === undefined) return err(40001, 'invalid credential, access_token is invalid or not latest');
    if (expiresAt <= this.now()) return err(42001, 'access_token expired');
    return null;
  }

  private getVerifyId(ctx: Context) {
    const tokenError = this.checkToken(ctx);
    if (tokenError) return tokenError;
    const body = (ctx.request as { body?: Record<string, any> }).body ?? {};
    const cert = body.cert_info ?? {};
    // *unverified*: the docs list no getverifyid-specific errcodes; 40097 is WeChat's generic "invalid args".
    if (typeof body.out_seq_no !== 'string' || !OUT_SEQ_NO.test(body.out_seq_no)) return err(40097, 'invalid args: out_seq_no');
    if ([...this.faces.values()].some((f) => f.outSeqNo === body.out_seq_no)) return err(40097, 'invalid args: out_seq_no repeated');
    if (cert.cert_type !== 'IDENTITY_CARD' || !cert.cert_name || !cert.cert_no) return err(40097, 'invalid args: cert_info');
    if (typeof body.openid !== 'string' || !body.openid) return err(40097, 'invalid args: openid');
    const verifyId = randomBytes(24).toString('base64url');
    this.faces.set(verifyId, {
      verifyId,
      outSeqNo: body.out_seq_no,
      openid: body.openid,
      certHash: certHash(cert.cert_type, cert.cert_name, cert.cert_no),
      expiresAt: this.now() + VERIFY_ID_TTL_S * 1000,
    });
    return { errcode: 0, errmsg: 'ok', verify_id: verifyId, expires_in: VERIFY_ID_TTL_S };
  }

  private queryVerifyInfo(ctx: Context) {
    const tokenError = this.checkToken(ctx);
    if (tokenError) return tokenError;
    const body = (ctx.request as { body?: Record<string, unknown> }).body ?? {};
    const session = this.faces.get(String(body.verify_id));
    // A verify_id that is unknown, someone else's, or paired with other data is a parameter error.
    if (!session || session.openid !== body.openid || session.outSeqNo !== body.out_seq_no || session.certHash !== body.cert_hash) {
      return { errcode: 0, errmsg: 'ok', verify_ret: 10001 };
    }
    // *unverified*: what the real API answers before the user has finished is not documented;
    // we answer "user cancelled on the guide page" (90002), the nearest documented outcome.
    return { errcode: 0, errmsg: 'ok', verify_ret: session.verifyRet ?? 90002 };
  }
}

/** cert_hash as documented: SHA-256 hex of `cert_type=<b64>&cert_name=<b64>&cert_no=<b64>`. */
export function certHash(certType: string, certName: string, certNo: string): string {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  return createHash('sha256').update(`cert_type=${b64(certType)}&cert_name=${b64(certName)}&cert_no=${b64(certNo)}`).digest('hex');
}
