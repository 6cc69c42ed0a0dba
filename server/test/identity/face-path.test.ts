import { checkDigit } from '../../src/identity/id-number';
import { FaceSession } from '../../src/identity/face-session.model';
import { DriverIdentity } from '../../src/identity/identity.model';
import { VerificationAttempt } from '../../src/identity/verification-attempt.model';
import { startTestServer, type TestServer } from '../harness';

const idNumber = (seq: string) => `44070319900307${seq}` + checkDigit(`44070319900307${seq}`);

describe('实人认证, face path (WeChat face verification 2.0)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { FACE_MAX_FAILURES: '3' } });
  });
  afterAll(() => t.close());

  let openidSeq = 0;
  async function newDriver() {
    const openid = `face-openid-${++openidSeq}`;
    const session = (await t.http.post('/api/v1/auth/wechat-login', { code: t.fakes.wechat.issueCode(openid) })).body;
    const as = { token: session.accessToken as string };
    return {
      openid,
      get: (path: string) => t.http.get(path, as),
      post: (path: string, body?: unknown) => t.http.post(path, body ?? {}, as),
    };
  }
  const profile = (id: string, name = '张三') => ({ name, idNumber: id, phone: '13800138000', agreementVersion: t.config.AGREEMENT_VERSION, agreementAccepted: true });

  /** start → the phone's face check gives `verifyRet` → the server collects the result. */
  async function faceCheck(driver: Awaited<ReturnType<typeof newDriver>>, verifyRet: number) {
    const started = await driver.post('/api/v1/verification/face/start');
    expect(started.status).toBe(200);
    t.fakes.wechat.completeFaceVerification(started.body.verifyId, verifyRet);
    return driver.post('/api/v1/verification/face/complete', { verifyId: started.body.verifyId });
  }

  it('verifies a new user: profile, face check, server-side result, status verified', async () => {
    const driver = await newDriver();
    const saved = await driver.post('/api/v1/verification/profile', profile(idNumber('241')));
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ status: 'unverified', maskedName: '张*', maskedIdNumber: expect.stringMatching(/^4407\*{10}\d{3}[\dX]$/) });

    const started = await driver.post('/api/v1/verification/face/start');
    const request = t.fakes.wechat.callsTo('getverifyid').at(-1)!;
    expect(request.body).toMatchObject({ openid: driver.openid, cert_info: { cert_type: 'IDENTITY_CARD', cert_name: '张三', cert_no: idNumber('241') } });
    t.fakes.wechat.completeFaceVerification(started.body.verifyId, 10000);
    const done = await driver.post('/api/v1/verification/face/complete', { verifyId: started.body.verifyId });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ passed: true, verification: { status: 'verified', method: 'face', verifiedAt: expect.any(String) } });

    // The server asked WeChat itself, with the cert_hash of the identity it holds.
    const query = t.fakes.wechat.callsTo('queryverifyinfo').at(-1)!;
    expect(query.body).toMatchObject({ verify_id: started.body.verifyId, openid: driver.openid, cert_hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await driver.get('/api/v1/me')).body.verification).toBe('verified');

    // Stored sealed, looked up by keyed hash, never whole.
    const stored = (await DriverIdentity.findOne({ phone: '13800138000', name: '张三' }).lean())!;
    expect(JSON.stringify(stored)).not.toContain(idNumber('241'));
    expect(stored.idHash).toBe(t.services.idCipher.lookupHash(idNumber('241')));
  });

  it('refuses a wrong checksum with 400 and a plain next step, and records the attempt', async () => {
    const driver = await newDriver();
    const bad = idNumber('251').slice(0, 17) + (idNumber('251').endsWith('1') ? '2' : '1');
    const res = await driver.post('/api/v1/verification/profile', profile(bad));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', message: '身份证号校验不通过，请逐位核对后重新输入', issues: [{ path: 'idNumber' }] });
    expect(await VerificationAttempt.countDocuments({ path: 'profile', result: 'refused' })).toBeGreaterThan(0);
  });

  it('refuses a name that is not a Chinese name, and a missing agreement', async () => {
    const driver = await newDriver();
    const res = await driver.post('/api/v1/verification/profile', { ...profile(idNumber('261'), 'Zhang San'), agreementAccepted: false });
    expect(res.status).toBe(400);
    expect(res.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['agreementAccepted', 'name']);
  });

  it.each([
    [10001, 'parameter_mismatch', /重新开始/],
    [10002, 'face_not_detected', /光线充足/],
    [10003, 'id_mismatch', /姓名与身份证号不一致/],
    [10004, 'face_mismatch', /比对不一致/],
    [90003, 'cancelled', /取消/],
    [90009, 'permission_denied', /相机和麦克风/],
    [90017, 'timeout', /超时/],
    [90007, 'network', /网络/],
    [90001, 'device_unsupported', /不支持/],
  ])('maps verify_ret %i to %s with a next step in Chinese', async (verifyRet, kind, message) => {
    const driver = await newDriver();
    await driver.post('/api/v1/verification/profile', profile(idNumber(String(300 + (verifyRet % 97)).padStart(3, '0'))));
    const res = await faceCheck(driver, verifyRet);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ passed: false, failure: kind, message: expect.stringMatching(message), verification: { status: 'unverified' } });
    if (kind === 'device_unsupported') expect(res.body.verification.fallbacks).toEqual(['sms', 'manual_review']);
  });

  it('offers the fallbacks after FACE_MAX_FAILURES real failures (cancels do not count)', async () => {
    const driver = await newDriver();
    await driver.post('/api/v1/verification/profile', profile(idNumber('401')));
    expect((await faceCheck(driver, 90002)).body.verification.faceFailures).toBe(0);
    expect((await faceCheck(driver, 10004)).body.verification.fallbacks).toEqual([]);
    expect((await faceCheck(driver, 10002)).body.verification.fallbacks).toEqual([]);
    const third = await faceCheck(driver, 10004);
    expect(third.body.verification).toMatchObject({ faceFailures: 3, fallbacks: ['sms', 'manual_review'] });
    expect(third.body.message).toMatch(/短信验证|人工审核/);
  });

  it("answers a foreign verify_id like an unknown one (404) and leaves the owner's session usable", async () => {
    const owner = await newDriver();
    const thief = await newDriver();
    await owner.post('/api/v1/verification/profile', profile(idNumber('411')));
    await thief.post('/api/v1/verification/profile', profile(idNumber('421'), '李四'));
    const started = await owner.post('/api/v1/verification/face/start');
    t.fakes.wechat.completeFaceVerification(started.body.verifyId, 10000);
    const stolen = await thief.post('/api/v1/verification/face/complete', { verifyId: started.body.verifyId });
    expect(stolen.status).toBe(404);
    expect(stolen.body.code).toBe('FACE_SESSION_NOT_FOUND');
    expect((await thief.get('/api/v1/verification')).body.status).toBe('unverified');
    expect((await owner.post('/api/v1/verification/face/complete', { verifyId: started.body.verifyId })).body.passed).toBe(true);
  });

  it('refuses a stale verify_id (410) and one collected twice (409)', async () => {
    const driver = await newDriver();
    await driver.post('/api/v1/verification/profile', profile(idNumber('431')));
    const started = await driver.post('/api/v1/verification/face/start');
    t.fakes.wechat.completeFaceVerification(started.body.verifyId, 10004);
    await FaceSession.updateOne({ verifyId: started.body.verifyId }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const stale = await driver.post('/api/v1/verification/face/complete', { verifyId: started.body.verifyId });
    expect(stale.status).toBe(410);
    expect(stale.body.code).toBe('FACE_SESSION_EXPIRED');

    const again = await driver.post('/api/v1/verification/face/start');
    t.fakes.wechat.completeFaceVerification(again.body.verifyId, 10004);
    expect((await driver.post('/api/v1/verification/face/complete', { verifyId: again.body.verifyId })).status).toBe(200);
    const replay = await driver.post('/api/v1/verification/face/complete', { verifyId: again.body.verifyId });
    expect(replay.status).toBe(409);
    expect(replay.body.code).toBe('FACE_SESSION_USED');
  });

  it('never trusts a result about another identity: changing the profile voids a running session', async () => {
    const driver = await newDriver();
    await driver.post('/api/v1/verification/profile', profile(idNumber('441')));
    const started = await driver.post('/api/v1/verification/face/start');
    await driver.post('/api/v1/verification/profile', profile(idNumber('451')));
    t.fakes.wechat.completeFaceVerification(started.body.verifyId, 10000);
    const res = await driver.post('/api/v1/verification/face/complete', { verifyId: started.body.verifyId });
    expect(res.status).toBe(409);
    expect((await driver.get('/api/v1/verification')).body.status).toBe('unverified');
  });

  it('allows one verified WeChat user per ID number', async () => {
    const first = await newDriver();
    await first.post('/api/v1/verification/profile', profile(idNumber('461')));
    expect((await faceCheck(first, 10000)).body.passed).toBe(true);
    const second = await newDriver();
    const res = await second.post('/api/v1/verification/profile', profile(idNumber('461')));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'ID_ALREADY_VERIFIED', message: expect.stringContaining('另一个微信账号') });
  });

  it('says so when WeChat is unavailable (503), and needs a profile first (400)', async () => {
    const driver = await newDriver();
    expect((await driver.post('/api/v1/verification/face/start')).body.code).toBe('PROFILE_REQUIRED');
    await driver.post('/api/v1/verification/profile', profile(idNumber('471')));
    t.fakes.wechat.failNext('getverifyid', { body: { errcode: -1, errmsg: 'system error' } });
    const res = await driver.post('/api/v1/verification/face/start');
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('asks an existing online user (我的 → 实人认证) for the ID card validity period and checks it', async () => {
    const driver = await newDriver();
    const base = { ...profile(idNumber('481')), entry: 'existing_user' };
    const missing = await driver.post('/api/v1/verification/profile', base);
    expect(missing.status).toBe(400);
    expect(missing.body.issues).toEqual([{ path: 'idValidity', message: '请填写身份证有效期限（证件背面）' }]);

    const expired = await driver.post('/api/v1/verification/profile', { ...base, idValidity: { start: '2006-03-01', end: '2026-03-01' } });
    expect(expired.status).toBe(400);
    expect(expired.body).toMatchObject({ message: expect.stringContaining('已过有效期'), issues: [{ path: 'idValidity.end' }] });

    const ok = await driver.post('/api/v1/verification/profile', { ...base, idValidity: { start: '2020-03-01', end: '2040-03-01' } });
    expect(ok.status).toBe(200);
    expect((await DriverIdentity.findOne({ idHash: t.services.idCipher.lookupHash(idNumber('481')) }).lean())!.idValidity).toEqual({ start: '2020-03-01', end: '2040-03-01' });
  });

  it('never writes a whole ID number into the logs', () => {
    const logs = t.rawLogs();
    for (const seq of ['241', '401', '411', '461']) expect(logs).not.toContain(idNumber(seq));
  });
});
