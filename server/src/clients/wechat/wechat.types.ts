/** Shapes of the WeChat server APIs we call (see docs/contracts.md → WeChat). */
export interface WechatErrorBody {
  errcode?: number;
  errmsg?: string;
}

export interface Code2SessionBody extends WechatErrorBody {
  openid?: string;
  session_key?: string;
  unionid?: string;
}

export interface StableTokenBody extends WechatErrorBody {
  access_token?: string;
  expires_in?: number;
}

export interface Code2SessionResult {
  openid: string;
  unionid: string | null;
}

/** Error codes documented for jscode2session and access-token APIs. */
export const WECHAT_ERRCODE = {
  SYSTEM_BUSY: -1,
  INVALID_CREDENTIAL: 40001,
  INVALID_APPID: 40013,
  INVALID_CODE: 40029,
  INVALID_SECRET: 40125,
  CODE_USED: 40163,
  HIGH_RISK_USER: 40226,
  ACCESS_TOKEN_MISSING: 41001,
  ACCESS_TOKEN_EXPIRED: 42001,
  RATE_LIMITED: 45011,
} as const;
