import { WechatClient } from '../src/clients/wechat/wechat-client';
import { WechatApiError } from '../src/clients/wechat/wechat-error';
import { startFakes, type RunningFakes } from '../fakes';

describe('WechatClient against the WeChat fake', () => {
  let fakes: RunningFakes;
  let client: WechatClient;
  beforeAll(async () => {
    fakes = await startFakes();
  });
  afterAll(() => fakes.stop());
  beforeEach(() => {
    fakes.reset();
    client = new WechatClient({ baseUrl: fakes.wechat.url, appId: fakes.env.WECHAT_APPID!, secret: fakes.env.WECHAT_SECRET!, timeoutMs: 2_000 });
  });

  it('fetches the access token once for concurrent callers and caches it', async () => {
    const tokens = await Promise.all([client.accessToken(), client.accessToken(), client.accessToken()]);
    expect(new Set(tokens).size).toBe(1);
    await client.accessToken();
    expect(fakes.wechat.callsTo('stable_token')).toHaveLength(1);
  });

  it('refetches the token and retries once when WeChat says it expired (42001)', async () => {
    await client.accessToken();
    fakes.wechat.expireAccessTokens();
    const result = await client.postWithToken<{ errcode?: number; verify_id?: string }>('getverifyid', '/cityservice/face/identify/getverifyid', {
      out_seq_no: 'seq_00001',
      cert_info: { cert_type: 'IDENTITY_CARD', cert_name: '张三', cert_no: '440703199001011234' },
      openid: 'o1',
    });
    expect(result.verify_id).toEqual(expect.any(String));
    expect(fakes.wechat.callsTo('stable_token')).toHaveLength(2);
    expect(fakes.wechat.callsTo('getverifyid')).toHaveLength(2);
  });

  it('surfaces a wrong secret as WechatApiError 40125', async () => {
    const wrong = new WechatClient({ baseUrl: fakes.wechat.url, appId: fakes.env.WECHAT_APPID!, secret: 'wrong', timeoutMs: 2_000 });
    await expect(wrong.accessToken()).rejects.toEqual(expect.objectContaining({ errcode: 40125 }));
    await expect(wrong.accessToken()).rejects.toBeInstanceOf(WechatApiError);
  });
});
