import { startFakes, type RunningFakes } from '../../fakes';

/** The documented ways to sign in as a demo driver: a code for an openid, and switching the developer tools' user. */
describe('WeChat fake: demo logins', () => {
  let demo: RunningFakes;
  let strict: RunningFakes;
  beforeAll(async () => {
    [demo, strict] = await Promise.all([startFakes(undefined, { acceptUnknownWechatCodesAs: 'demo-driver-openid' }), startFakes()]);
  });
  afterAll(() => Promise.all([demo.stop(), strict.stop()]));

  const post = (fakes: RunningFakes, path: string, body: unknown) => fetch(`${fakes.wechat.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const session = async (fakes: RunningFakes, code: string) => {
    const q = new URLSearchParams({ appid: fakes.env.WECHAT_APPID!, secret: fakes.env.WECHAT_SECRET!, js_code: code, grant_type: 'authorization_code' });
    return (await fetch(`${fakes.wechat.url}/sns/jscode2session?${q}`)).json() as Promise<{ openid?: string; errcode?: number }>;
  };

  it('issues a one-time code for a given openid over its control API', async () => {
    const { code } = (await (await post(demo, '/__fake/wechat/codes', { openid: 'demo-driver-2' })).json()) as { code: string };
    expect(await session(demo, code)).toMatchObject({ openid: 'demo-driver-2' });
    expect(await session(demo, code)).toMatchObject({ errcode: 40163 });
  });

  it("switches whom the developer tools' own codes sign in as, in demo mode only", async () => {
    expect((await session(demo, 'devtools-code-1')).openid).toBe('demo-driver-openid');
    expect((await post(demo, '/__fake/wechat/tools-user', { openid: 'demo-driver-3' })).status).toBe(200);
    expect((await session(demo, 'devtools-code-2')).openid).toBe('demo-driver-3');
    expect((await post(demo, '/__fake/wechat/tools-user', { openid: '' })).status).toBe(400);

    expect((await post(strict, '/__fake/wechat/tools-user', { openid: 'demo-driver-3' })).status).toBe(409);
    expect(await session(strict, 'devtools-code-3')).toMatchObject({ errcode: 40029 });
  });
});
