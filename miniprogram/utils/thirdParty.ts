/**
 * Third-party identity authorisation (第三方授权), offered when the phone the driver typed is not the
 * one reserved on their 驾驶证 / 行驶证 record. The driver is taken to the identity provider's
 * mini-program; after they agree there, it returns with `wx.navigateBackMiniProgram({ extraData:
 * { authCode } })`, which reaches us as the referrerInfo of the next app show. The page sends the
 * authCode to POST /api/v1/verification/third-party; this adapter never sees any identity data.
 */

/**
 * DEPLOYER: the provider's mini-program appId and authorisation page (from the provider's
 * integration agreement). Until then navigateToMiniProgram fails and the page says so.
 */
export const THIRD_PARTY_PROVIDER = {
  appId: 'REPLACE-ME-provider-appid',
  path: 'pages/authorize/index',
} as const;

export type ThirdPartyFailure = 'open_failed' | 'cancelled';

export class ThirdPartyError extends Error {
  readonly kind: ThirdPartyFailure;
  constructor(kind: ThirdPartyFailure) {
    super(kind === 'open_failed' ? '暂时无法打开授权页面，请稍后重试' : '没有完成授权，如需继续请再次点击');
    Object.setPrototypeOf(this, ThirdPartyError.prototype);
    this.name = 'ThirdPartyError';
    this.kind = kind;
  }
}

type AppShowListener = Parameters<typeof wx.onAppShow>[0];
/** The typings give offAppShow a narrower listener type; WeChat wants the very same function. */
const off = (listener: AppShowListener): void => wx.offAppShow(listener as unknown as Parameters<typeof wx.offAppShow>[0]);

/** Opens the provider; resolves with its authCode, rejects with ThirdPartyError. */
export function authorize(): Promise<string> {
  return new Promise((resolve, reject) => {
    const listener: AppShowListener = (options) => {
      const referrer = options.referrerInfo as { appId?: string; extraData?: Record<string, unknown> } | undefined;
      if (referrer?.appId !== THIRD_PARTY_PROVIDER.appId) return; // some other return to our app
      off(listener);
      const authCode = referrer.extraData?.authCode;
      if (typeof authCode === 'string' && authCode) resolve(authCode);
      else reject(new ThirdPartyError('cancelled'));
    };
    wx.onAppShow(listener);
    wx.navigateToMiniProgram({
      appId: THIRD_PARTY_PROVIDER.appId,
      path: THIRD_PARTY_PROVIDER.path,
      extraData: { purpose: 'real_person_verification' },
      fail: () => {
        off(listener);
        reject(new ThirdPartyError('open_failed'));
      },
    });
  });
}
