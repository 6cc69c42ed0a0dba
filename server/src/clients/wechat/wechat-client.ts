import { fetchJson, joinUrl } from '../http/fetch-json';
import { WechatApiError } from './wechat-error';
import { WECHAT_ERRCODE, type Code2SessionBody, type Code2SessionResult, type StableTokenBody, type WechatErrorBody } from './wechat.types';

export interface WechatClientOptions {
  baseUrl: string;
  appId: string;
  secret: string;
  timeoutMs: number;
  now?: () => number;
}

/** Refresh the cached access token this long before WeChat says it expires. */
const ACCESS_TOKEN_MARGIN_MS = 5 * 60 * 1000;

/**
 * The WeChat server APIs: login code exchange and the access token other APIs need. The access token
 * is cached and refreshed by one in-flight request per process, as WeChat asks.
 */
export class WechatClient {
  private cachedToken: { value: string; expiresAt: number } | null = null;
  private refreshing: Promise<string> | null = null;
  private readonly now: () => number;

  constructor(private readonly options: WechatClientOptions) {
    this.now = options.now ?? Date.now;
  }

  async code2Session(jsCode: string): Promise<Code2SessionResult> {
    const url = this.url('/sns/jscode2session', {
      appid: this.options.appId,
      secret: this.options.secret,
      js_code: jsCode,
      grant_type: 'authorization_code',
    });
    const body = await fetchJson<Code2SessionBody>(url, { service: 'wechat', timeoutMs: this.options.timeoutMs });
    this.throwIfError('jscode2session', body);
    if (!body.openid) throw new WechatApiError('jscode2session', -1, 'no openid in response');
    // session_key is deliberately dropped: nothing here decrypts wx data, and a key we never keep cannot leak.
    return { openid: body.openid, unionid: body.unionid ?? null };
  }

  /** A valid access token, from cache when it has more than a few minutes left. */
  async accessToken(): Promise<string> {
    if (this.cachedToken && this.cachedToken.expiresAt - ACCESS_TOKEN_MARGIN_MS > this.now()) return this.cachedToken.value;
    this.refreshing ??= this.fetchStableToken(false).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** Call after an API said the token is invalid or expired (40001/42001): drop it so the next call refetches. */
  invalidateAccessToken(): void {
    this.cachedToken = null;
  }

  /** POST an API that takes `access_token`, retrying once with a fresh token if WeChat says the old one is dead. */
  async postWithToken<T extends WechatErrorBody>(api: string, path: string, body: unknown): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken();
      const result = await fetchJson<T>(this.url(path, { access_token: token }), {
        service: 'wechat',
        method: 'POST',
        body,
        timeoutMs: this.options.timeoutMs,
      });
      const code = result.errcode ?? 0;
      if ((code === WECHAT_ERRCODE.INVALID_CREDENTIAL || code === WECHAT_ERRCODE.ACCESS_TOKEN_EXPIRED) && attempt === 0) {
        this.invalidateAccessToken();
        continue;
      }
      this.throwIfError(api, result);
      return result;
    }
  }

  private async fetchStableToken(forceRefresh: boolean): Promise<string> {
    const body = await fetchJson<StableTokenBody>(this.url('/cgi-bin/stable_token', {}), {
      service: 'wechat',
      method: 'POST',
      body: { grant_type: 'client_credential', appid: this.options.appId, secret: this.options.secret, force_refresh: forceRefresh },
      timeoutMs: this.options.timeoutMs,
    });
    this.throwIfError('stable_token', body);
    if (!body.access_token || !body.expires_in) throw new WechatApiError('stable_token', -1, 'no access_token in response');
    this.cachedToken = { value: body.access_token, expiresAt: this.now() + body.expires_in * 1000 };
    return body.access_token;
  }

  private throwIfError(api: string, body: WechatErrorBody): void {
    if (body.errcode !== undefined && body.errcode !== 0) throw new WechatApiError(api, body.errcode, body.errmsg ?? '');
  }

  private url(path: string, params: Record<string, string>): URL {
    const url = joinUrl(this.options.baseUrl, path);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return url;
  }
}
