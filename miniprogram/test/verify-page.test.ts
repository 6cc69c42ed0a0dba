/**
 * The 实人认证 entry page in miniprogram-simulate with real TDesign components and our real request
 * code; only wx.request (fake-server.ts), wx.requestFacialVerify and navigation are faked.
 */
import { idCheckChar } from '../utils/identity';
import { fakeServer } from './fake-server';
import { signedIn, verificationStatus } from './fixtures';
import { blur, domOf, fire, renderPage, tap, textOf, typeInto, waitFor } from './page-driver';
import { loadPage } from './simulator';

const STATUS = 'GET /api/v1/verification';
const PROFILE = 'POST /api/v1/verification/profile';
const FACE_START = 'POST /api/v1/verification/face/start';
const FACE_COMPLETE = 'POST /api/v1/verification/face/complete';

const FIRST17 = '44070319900101123';
const GOOD_ID = `${FIRST17}${idCheckChar(FIRST17)}`;
const BAD_ID = `${FIRST17}${idCheckChar(FIRST17) === '1' ? '2' : '1'}`;

let pageId: string;
beforeAll(() => {
  pageId = loadPage('pages/verify/index');
});

beforeEach(() => {
  wx.clearStorageSync();
  signedIn();
});

type Page = ReturnType<typeof renderPage>;

async function fillValidForm(page: Page): Promise<void> {
  await typeInto(page, '#name', '张三');
  await typeInto(page, '#idNumber', GOOD_ID);
  await typeInto(page, '#phone', '13900002222');
  await tap(page, '#agreement');
}

function stubFacialVerify(outcome: 'success' | 'fail') {
  const verify = jest.fn((options: WechatMiniprogram.RequestFacialVerifyOption) => {
    setTimeout(() => {
      if (outcome === 'success') options.success?.({ errMsg: 'requestFacialVerify:ok', errCode: 0 } as unknown as WechatMiniprogram.RequestFacialVerifyError);
      else options.fail?.({ errMsg: 'requestFacialVerify:fail user cancel', errCode: 90004 } as unknown as WechatMiniprogram.RequestFacialVerifyError);
    }, 1);
  });
  wx.requestFacialVerify = verify as unknown as typeof wx.requestFacialVerify;
  return verify;
}

describe('verify page: profile form', () => {
  test('an unverified driver sees the form with the agreement; a wrong check digit is flagged at once and nothing is sent', async () => {
    const server = fakeServer();
    server.on(STATUS, { status: 200, body: verificationStatus() });
    const page = renderPage(pageId);

    await waitFor(() => expect(domOf(page, '#form')).not.toBeNull());
    expect(textOf(page, '#agreement-text')).toContain('通过微信人脸核身比对您本人');
    expect(domOf(page, '#field-validity')).toBeNull(); // only for existing users

    await typeInto(page, '#idNumber', BAD_ID);
    expect(textOf(page, '#error-idNumber')).toBe('身份证号有误，请对照身份证逐位核对');

    await typeInto(page, '#name', '张三');
    await typeInto(page, '#phone', '13900002222');
    await tap(page, '#agreement');
    await tap(page, '#submit');

    expect(textOf(page, '#error-idNumber')).toBe('身份证号有误，请对照身份证逐位核对');
    expect(textOf(page, '#form-error')).toContain('请按提示修改');
    expect(server.to(PROFILE)).toHaveLength(0);

    // Fixing the digit clears the message.
    await typeInto(page, '#idNumber', GOOD_ID);
    expect(textOf(page, '#error-idNumber')).toBeNull();
  });

  test('too-short numbers and empty fields are pointed out under their fields without a request', async () => {
    const server = fakeServer();
    server.on(STATUS, { status: 200, body: verificationStatus() });
    const page = renderPage(pageId);
    await waitFor(() => expect(domOf(page, '#form')).not.toBeNull());

    await typeInto(page, '#idNumber', '4407031990');
    expect(textOf(page, '#error-idNumber')).toBeNull(); // quiet while typing
    await blur(page, '#idNumber', '4407031990');
    expect(textOf(page, '#error-idNumber')).toContain('应为 18 位');

    await tap(page, '#submit');
    expect(textOf(page, '#error-name')).toBe('请输入姓名');
    expect(textOf(page, '#error-phone')).toBe('请输入手机号');
    expect(textOf(page, '#error-agreement')).toContain('勾选同意');
    expect(server.to(PROFILE)).toHaveLength(0);
  });

  test('a server VALIDATION_FAILED issue is shown under the field it names', async () => {
    const server = fakeServer();
    server.on(STATUS, { status: 200, body: verificationStatus() });
    server.on(PROFILE, {
      status: 400,
      body: { code: 'VALIDATION_FAILED', message: '请求内容有误', issues: [{ path: 'phone', message: '该手机号不是有效的手机号码' }] },
    });
    const page = renderPage(pageId);
    await waitFor(() => expect(domOf(page, '#form')).not.toBeNull());
    await fillValidForm(page);

    await tap(page, '#submit');

    await waitFor(() => expect(textOf(page, '#error-phone')).toBe('该手机号不是有效的手机号码'));
    expect(textOf(page, '#error-name')).toBeNull();
    expect(textOf(page, '#error-idNumber')).toBeNull();
    expect(server.to(PROFILE)[0]?.data).toEqual({
      name: '张三',
      idNumber: GOOD_ID,
      phone: '13900002222',
      agreementVersion: '2025-05-v1',
      agreementAccepted: true,
      entry: 'new_user',
    });
    expect(server.to(PROFILE)[0]?.header.Authorization).toBe('Bearer access-1');
  });

  test('an existing user (我的 → 实人认证) also gives the validity period; 长期 sends end: null', async () => {
    const server = fakeServer();
    server.on(STATUS, { status: 200, body: verificationStatus() });
    server.on(
      PROFILE,
      { status: 400, body: { code: 'VALIDATION_FAILED', message: '请求内容有误', issues: [{ path: 'idValidity.start', message: '起始日期不能晚于今天' }] } },
      { status: 200, body: verificationStatus({ maskedName: '张*', maskedIdNumber: '4407**********1234' }) },
    );
    const page = renderPage(pageId, { entry: 'existing_user' });
    await waitFor(() => expect(domOf(page, '#field-validity')).not.toBeNull());
    await fillValidForm(page);

    await tap(page, '#submit');
    expect(textOf(page, '#error-validity')).toContain('起始日期');
    expect(server.to(PROFILE)).toHaveLength(0);

    await fire(page, '#validity-start', 'change', { value: '2020-03-01' });
    await tap(page, '#long-term');
    await waitFor(() => expect(domOf(page, '#validity-end')).toBeNull());
    await tap(page, '#submit');

    await waitFor(() => expect(textOf(page, '#error-validity')).toBe('起始日期不能晚于今天'));
    expect(server.to(PROFILE)[0]?.data).toMatchObject({ entry: 'existing_user', idValidity: { start: '2020-03-01', end: null } });

    await tap(page, '#submit');
    await waitFor(() => expect(domOf(page, '#face')).not.toBeNull());
    expect(textOf(page, '#face-who')).toContain('张*');
  });
  test('a newer agreement (409 AGREEMENT_OUTDATED) is shown again to accept; the entries stay', async () => {
    const server = fakeServer();
    server.on(STATUS, { status: 200, body: verificationStatus() }, { status: 200, body: verificationStatus({ agreementVersion: '2025-09-v2' }) });
    server.on(
      PROFILE,
      { status: 409, body: { code: 'AGREEMENT_OUTDATED', message: '说明已更新，请重新阅读并同意' } },
      { status: 409, body: { code: 'ID_ALREADY_VERIFIED', message: '该身份证号已被其他微信账号认证' } },
    );
    const page = renderPage(pageId);
    await waitFor(() => expect(domOf(page, '#form')).not.toBeNull());
    await fillValidForm(page);

    await tap(page, '#submit');
    await waitFor(() => expect(textOf(page, '#form-error')).toBe('说明已更新，请重新阅读并同意'));
    expect(server.to(STATUS)).toHaveLength(2);
    await tap(page, '#submit');
    expect(textOf(page, '#error-agreement')).toContain('勾选同意'); // unticked for the new version
    expect(server.to(PROFILE)).toHaveLength(1);

    await tap(page, '#agreement');
    await tap(page, '#submit');
    await waitFor(() => expect(textOf(page, '#form-error')).toBe('该身份证号已被其他微信账号认证'));
    expect(server.to(PROFILE)[1]?.data).toMatchObject({ name: '张三', idNumber: GOOD_ID, agreementVersion: '2025-09-v2' });
  });
});

describe('verify page: face check', () => {
  test('passes when the server says so: start → wx.requestFacialVerify → complete → done', async () => {
    const server = fakeServer();
    server.on(STATUS, { status: 200, body: verificationStatus() });
    server.on(PROFILE, { status: 200, body: verificationStatus({ maskedName: '张*', maskedIdNumber: '4407**********1234' }) });
    server.on(FACE_START, { status: 200, body: { verifyId: 'vid-1', expiresAt: '2099-01-01T00:00:00.000Z' } });
    server.on(FACE_COMPLETE, {
      status: 200,
      body: { passed: true, failure: null, message: '认证成功', verification: verificationStatus({ status: 'verified', method: 'face' }) },
    });
    const facial = stubFacialVerify('success');
    const page = renderPage(pageId);
    await waitFor(() => expect(domOf(page, '#form')).not.toBeNull());
    await fillValidForm(page);
    await tap(page, '#submit');
    await waitFor(() => expect(textOf(page, '#start-face')).toBe('开始人脸识别'));

    await tap(page, '#start-face');

    await waitFor(() => expect(textOf(page, '#verified')).toContain('实人认证已完成'));
    expect(facial).toHaveBeenCalledWith(expect.objectContaining({ verifyId: 'vid-1' }));
    expect(server.to(FACE_COMPLETE)[0]?.data).toEqual({ verifyId: 'vid-1' });
    expect(server.requests.map((r) => r.key)).toEqual([STATUS, PROFILE, FACE_START, FACE_COMPLETE]);
  });

  test('the phone saying success is not a pass: the server’s failure message is shown', async () => {
    const server = fakeServer();
    server.on(STATUS, { status: 200, body: verificationStatus({ maskedName: '张*', maskedIdNumber: '4407**********1234' }) });
    server.on(FACE_START, { status: 200, body: { verifyId: 'vid-2', expiresAt: '2099-01-01T00:00:00.000Z' } });
    server.on(FACE_COMPLETE, {
      status: 200,
      body: {
        passed: false,
        failure: 'face_mismatch',
        message: '人脸与身份证照片不一致，请本人重新识别',
        verification: verificationStatus({ maskedName: '张*', faceFailures: 1 }),
      },
    });
    stubFacialVerify('success');
    const page = renderPage(pageId);
    await waitFor(() => expect(domOf(page, '#face')).not.toBeNull());

    await tap(page, '#start-face');

    await waitFor(() => expect(textOf(page, '#face-message')).toBe('人脸与身份证照片不一致，请本人重新识别'));
    expect(textOf(page, '#verified')).toBeNull();
    expect(domOf(page, '#fallbacks')).toBeNull(); // none offered yet
    expect(textOf(page, '#start-face')).toBe('重新人脸识别');
  });

  test('after repeated failures the server offers fallbacks: 短信验证 and 上传身份证人工审核 lead to their pages', async () => {
    const server = fakeServer();
    server.on(STATUS, { status: 200, body: verificationStatus({ maskedName: '张*', faceFailures: 2 }) });
    server.on(FACE_START, { status: 200, body: { verifyId: 'vid-3', expiresAt: '2099-01-01T00:00:00.000Z' } });
    server.on(FACE_COMPLETE, {
      status: 200,
      body: {
        passed: false,
        failure: 'cancelled',
        message: '人脸识别多次未通过，您可以改用短信验证或上传身份证人工审核',
        verification: verificationStatus({ maskedName: '张*', faceFailures: 3, fallbacks: ['sms', 'manual_review'] }),
      },
    });
    stubFacialVerify('fail');
    const navigateTo = jest.fn();
    wx.navigateTo = navigateTo as unknown as typeof wx.navigateTo;
    const page = renderPage(pageId);
    await waitFor(() => expect(domOf(page, '#face')).not.toBeNull());
    expect(domOf(page, '#fallback-sms')).toBeNull();

    await tap(page, '#start-face');

    await waitFor(() => expect(textOf(page, '#face-message')).toContain('人脸识别多次未通过'));
    expect(textOf(page, '#fallback-sms')).toBe('短信验证');
    expect(textOf(page, '#fallback-manual')).toBe('上传身份证人工审核');
    expect(server.to(FACE_COMPLETE)).toHaveLength(1); // the phone's fail still asks the server

    await tap(page, '#fallback-sms');
    expect(navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/verify-sms/index' }));
    await tap(page, '#fallback-manual');
    expect(navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/verify-photos/index' }));
  });
});

describe('verify page: other statuses', () => {
  test('rejected shows the reviewer’s reason and resubmitting photos', async () => {
    const server = fakeServer();
    server.on(STATUS, {
      status: 200,
      body: verificationStatus({
        status: 'rejected',
        method: 'manual_review',
        review: { state: 'rejected', reason: '身份证照片模糊，无法辨认', submittedAt: '2025-06-01T00:00:00.000Z', decidedAt: '2025-06-01T01:00:00.000Z' },
      }),
    });
    const navigateTo = jest.fn();
    wx.navigateTo = navigateTo as unknown as typeof wx.navigateTo;
    const page = renderPage(pageId);

    await waitFor(() => expect(textOf(page, '#reject-reason')).toBe('原因：身份证照片模糊，无法辨认'));
    expect(textOf(page, '#rejected')).toContain('重新拍摄身份证正反面照片');
    await tap(page, '#resubmit-photos');
    expect(navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/verify-photos/index' }));
  });

  test('pending_review shows the waiting state; verified shows done', async () => {
    const server = fakeServer();
    server.on(STATUS, { status: 200, body: verificationStatus({ status: 'pending_review' }) }, { status: 200, body: verificationStatus({ status: 'verified' }) });
    const pending = renderPage(pageId);
    await waitFor(() => expect(textOf(pending, '#pending')).toContain('正在人工审核'));
    expect(domOf(pending, '#form')).toBeNull();

    const verified = renderPage(pageId);
    await waitFor(() => expect(textOf(verified, '#verified')).toContain('实人认证已完成'));
  });

  test('a failed status load says so and 重试 asks again', async () => {
    const server = fakeServer();
    server.on(STATUS, { status: 500, body: { code: 'INTERNAL_ERROR', message: '服务器开小差了，请稍后再试' } }, { status: 200, body: verificationStatus() });
    const page = renderPage(pageId);
    await waitFor(() => expect(textOf(page, '#load-error')).toContain('服务器开小差了'));
    await tap(page, '#retry-load');
    await waitFor(() => expect(domOf(page, '#form')).not.toBeNull());
  });
});
