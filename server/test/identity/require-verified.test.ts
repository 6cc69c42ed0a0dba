import { Driver } from '../../src/drivers/driver.model';
import { requireVerifiedDriver } from '../../src/identity/require-verified';
import { startTestServer, type TestServer } from '../harness';

/** The one middleware later case endpoints put in front of themselves. */
describe('requireVerifiedDriver()', () => {
  let t: TestServer;
  beforeAll(async () => {
    const guard = requireVerifiedDriver();
    t = await startTestServer({
      extend: (app) =>
        app.use(async (ctx, next) => {
          if (ctx.path !== '/test/cases') return next();
          await guard(ctx, async () => {
            ctx.body = { ok: true };
          });
        }),
    });
  });
  afterAll(() => t.close());

  it('lets a verified driver through, and stops an unverified one with 403 VERIFICATION_REQUIRED', async () => {
    const session = (await t.http.post('/api/v1/auth/wechat-login', { code: t.fakes.wechat.issueCode('guarded') })).body;
    const denied = await t.http.get('/test/cases', { token: session.accessToken });
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ code: 'VERIFICATION_REQUIRED', message: expect.stringContaining('实人认证') });

    await Driver.updateOne({ _id: session.driver.id }, { $set: { verification: 'verified', verificationMethod: 'face' } });
    expect((await t.http.get('/test/cases', { token: session.accessToken })).body).toEqual({ ok: true });
  });

  it('answers no token with 401 before anything else', async () => {
    expect((await t.http.get('/test/cases')).status).toBe(401);
  });
});
