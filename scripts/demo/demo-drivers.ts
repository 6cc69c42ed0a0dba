import type { WechatFake } from '../../server/fakes';
import { ApiClient } from './api-client';
import { DEMO_DRIVERS, type DemoDriver } from './demo-data';

/** How a script gets a WeChat login code for an openid: from the fake in-process, or over its control API. */
export type CodeSource = (openid: string) => Promise<string>;

export const codesFromFake = (wechat: WechatFake): CodeSource => async (openid) => wechat.issueCode(openid);

/** POST <wechat fake>/__fake/wechat/codes {openid} → {code}: the documented way to log in as a demo driver. */
export const codesOverHttp = (wechatUrl: string): CodeSource => async (openid) => {
  const res = await fetch(`${wechatUrl}/__fake/wechat/codes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid }) });
  if (!res.ok) throw new Error(`the WeChat fake gave no code for ${openid} (${res.status})`);
  return ((await res.json()) as { code: string }).code;
};

/** A demo driver signed in to the API as the mini-program would be (wx.login → /auth/wechat-login). */
export async function signIn(baseUrl: string, driver: Pick<DemoDriver, 'openid'>, codes: CodeSource): Promise<ApiClient> {
  const api = new ApiClient(baseUrl, 'driver');
  const session = await api.call('POST /api/v1/auth/wechat-login', { body: { code: await codes(driver.openid) } });
  api.token = session.accessToken;
  return api;
}

/**
 * Makes every demo driver verified, through the same API and face check a phone uses (profile → face
 * start → the WeChat fake's face result → face complete). Idempotent: a verified driver is left alone.
 */
export async function verifyDemoDrivers(baseUrl: string, wechat: WechatFake): Promise<string[]> {
  const verified: string[] = [];
  for (const d of DEMO_DRIVERS) {
    const api = await signIn(baseUrl, d, codesFromFake(wechat));
    const status = await api.call('GET /api/v1/verification');
    if (status.status === 'verified') continue;
    await api.call('POST /api/v1/verification/profile', {
      body: { name: d.name, idNumber: d.idNumber, phone: d.phone, agreementVersion: status.agreementVersion, agreementAccepted: true },
    });
    const face = await api.call('POST /api/v1/verification/face/start');
    wechat.completeFaceVerification(face.verifyId, 10000);
    const done = await api.call('POST /api/v1/verification/face/complete', { body: { verifyId: face.verifyId } });
    if (!done.passed) throw new Error(`demo driver ${d.name} was not verified: ${done.message}`);
    verified.push(d.name);
  }
  return verified;
}
