import { checkDigit } from '../../src/identity/id-number';
import { SmsChallenge } from '../../src/identity/sms-challenge.model';
import { startTestServer, type TestServer } from '../harness';

const idNumber = (seq: string) => `44078319850612${seq}` + checkDigit(`44078319850612${seq}`);
const licence = (phone: string) => ({ licenceNo: 'L', name: '王五', classes: ['C1'], status: 'valid' as const, validFrom: '2015-01-01', validUntil: '2031-01-01', reservedPhone: phone });

describe('实人认证, SMS online registration (after the face check keeps failing)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { FACE_MAX_FAILURES: '2' } });
  });
  afterAll(() => t.close());

  let seq = 0;
  /** A driver whose face check has failed twice, with a licence whose reserved phone is `reserved`. */
  async function driverPastFace(phone: string, reserved: string | null) {
    const n = String(100 + ++seq);
    const session = (await t.http.post('/api/v1/auth/wechat-login', { code: t.fakes.wechat.issueCode(`sms-${n}`) })).body;
    const as = { token: session.accessToken as string };
    const post = (path: string, body?: unknown) => t.http.post(path, body ?? {}, as);
    const id = idNumber(n);
    if (reserved) t.fakes.registry.addLicence(id, licence(reserved));
    await post('/api/v1/verification/profile', { name: '王五', idNumber: id, phone, agreementVersion: t.config.AGREEMENT_VERSION, agreementAccepted: true });
    for (let i = 0; i < 2; i++) {
      const started = await post('/api/v1/verification/face/start');
      t.fakes.wechat.completeFaceVerification(started.body.verifyId, 10004);
      await post('/api/v1/verification/face/complete', { verifyId: started.body.verifyId });
    }
    return { post, get: (path: string) => t.http.get(path, as), id };
  }

  it('is closed until the face check has failed enough times', async () => {
    const session = (await t.http.post('/api/v1/auth/wechat-login', { code: t.fakes.wechat.issueCode('sms-early') })).body;
    await t.http.post('/api/v1/verification/profile', { name: '王五', idNumber: idNumber('099'), phone: '13900000000', agreementVersion: t.config.AGREEMENT_VERSION, agreementAccepted: true }, { token: session.accessToken });
    const res = await t.http.post('/api/v1/verification/sms/send', {}, { token: session.accessToken });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('FALLBACK_NOT_OFFERED');
  });

  it('sends a code to the phone reserved on the licence and verifies with it', async () => {
    const driver = await driverPastFace('13911112222', '13911112222');
    const sent = await driver.post('/api/v1/verification/sms/send');
    expect(sent.body).toEqual(expect.objectContaining({ sentTo: '139****2222' }));
    expect(sent.status).toBe(200);
    expect(sent.body).toEqual({ sentTo: '139****2222', expiresAt: expect.any(String), matchedRecord: 'licence' });
    // The registry was asked by POST: the ID number is in no URL.
    expect(t.fakes.registry.callsTo('licences').at(-1)!.body).toEqual({ idNumber: driver.id });
    const code = t.fakes.sms.lastTo('13911112222')!.params.code!;
    expect(code).toMatch(/^\d{6}$/);
    expect(JSON.stringify(await SmsChallenge.find().lean())).not.toContain(`"${code}"`);

    const verified = await driver.post('/api/v1/verification/sms/verify', { code });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ status: 'verified', method: 'sms' });
    // A code is spent once.
    expect((await driver.post('/api/v1/verification/sms/verify', { code })).status).toBe(409);
  });

  it('refuses a wrong code with the attempts left, and kills the code after five wrong guesses', async () => {
    const driver = await driverPastFace('13922223333', '13922223333');
    await driver.post('/api/v1/verification/sms/send');
    const code = t.fakes.sms.lastTo('13922223333')!.params.code!;
    const wrong = code === '000000' ? '111111' : '000000';
    const first = await driver.post('/api/v1/verification/sms/verify', { code: wrong });
    expect(first.status).toBe(400);
    expect(first.body).toMatchObject({ code: 'SMS_CODE_WRONG', message: '验证码不正确，还可以再试 4 次' });
    for (let i = 0; i < 4; i++) await driver.post('/api/v1/verification/sms/verify', { code: wrong });
    const dead = await driver.post('/api/v1/verification/sms/verify', { code });
    expect(dead.status).toBe(410);
    expect(dead.body.code).toBe('SMS_CODE_EXPIRED');
  });

  it('refuses an expired code', async () => {
    const driver = await driverPastFace('13933334444', '13933334444');
    await driver.post('/api/v1/verification/sms/send');
    const code = t.fakes.sms.lastTo('13933334444')!.params.code!;
    await SmsChallenge.updateMany({ phone: '13933334444' }, { $set: { expiresAt: new Date(Date.now() - 1) } });
    expect((await driver.post('/api/v1/verification/sms/verify', { code })).body.code).toBe('SMS_CODE_EXPIRED');
  });

  it('limits sending to one code a minute per phone', async () => {
    const driver = await driverPastFace('13944445555', '13944445555');
    expect((await driver.post('/api/v1/verification/sms/send')).status).toBe(200);
    const again = await driver.post('/api/v1/verification/sms/send');
    expect(again.status).toBe(429);
    expect(again.body.code).toBe('SMS_RATE_LIMITED');
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('says the reserved phone differs and points to third-party authorisation', async () => {
    const driver = await driverPastFace('13955556666', '13800000000');
    const res = await driver.post('/api/v1/verification/sms/send');
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'RESERVED_PHONE_MISMATCH', message: expect.stringContaining('第三方授权') });
    expect(t.fakes.sms.lastTo('13955556666')).toBeUndefined();
  });

  it('matches the phone reserved on a vehicle record when a plate is given', async () => {
    const driver = await driverPastFace('13966667777', '13800000001');
    t.fakes.registry.addVehicle({ plate: '粤J66777', plateType: '02', vehicleType: 'K33', ownerName: '王五', status: 'normal', inspectionValidUntil: '2027-01-01', reservedPhone: '13966667777' });
    // The plate type defaults to a small car (02) when the driver gives only the plate.
    const res = await driver.post('/api/v1/verification/sms/send', { plate: '粤J66777' });
    expect(res.status).toBe(200);
    expect(res.body.matchedRecord).toBe('vehicle');
  });

  it('sends nobody to manual review silently: no registry record is said plainly', async () => {
    const driver = await driverPastFace('13977778888', null);
    const res = await driver.post('/api/v1/verification/sms/send');
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'NO_REGISTRY_RECORD', message: expect.stringContaining('人工审核') });
  });

  describe('third-party authorisation of a reserved phone (when the registry phone differs)', () => {
    it('sends the code to the phone the provider vouches for, and verifies as third_party', async () => {
      const driver = await driverPastFace('13988880000', '13800000002');
      const authCode = t.fakes.identityProvider.issueAuthCode({ name: '王五', idNumber: driver.id, phone: '13712345678' });
      const sent = await driver.post('/api/v1/verification/third-party', { authCode });
      expect(sent.status).toBe(200);
      expect(sent.body).toMatchObject({ sentTo: '137****5678', matchedRecord: 'third_party' });
      const code = t.fakes.sms.lastTo('13712345678')!.params.code!;
      const verified = await driver.post('/api/v1/verification/sms/verify', { code });
      expect(verified.body).toMatchObject({ status: 'verified', method: 'third_party' });
    });

    it("refuses a provider account that is someone else's", async () => {
      const driver = await driverPastFace('13988881111', '13800000003');
      const authCode = t.fakes.identityProvider.issueAuthCode({ name: '赵六', idNumber: driver.id, phone: '13712340000' });
      const res = await driver.post('/api/v1/verification/third-party', { authCode });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('THIRD_PARTY_MISMATCH');
      expect(t.fakes.sms.lastTo('13712340000')).toBeUndefined();
    });

    it('refuses a used or unknown authorisation code (invalid_grant)', async () => {
      const driver = await driverPastFace('13988882222', '13800000004');
      const authCode = t.fakes.identityProvider.issueAuthCode({ name: '王五', idNumber: driver.id, phone: '13712341111' });
      expect((await driver.post('/api/v1/verification/third-party', { authCode })).status).toBe(200);
      const replay = await driver.post('/api/v1/verification/third-party', { authCode });
      expect(replay.status).toBe(400);
      expect(replay.body.code).toBe('THIRD_PARTY_REFUSED');
    });
  });
});
