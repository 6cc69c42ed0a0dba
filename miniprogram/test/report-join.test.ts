/**
 * 加入报案 in miniprogram-simulate: the code typed into TDesign's input (or scanned with a stubbed
 * wx.scanCode), the plate, the facts checkbox, and the server's answers from the fake server.
 */
import { fakeServer } from './fake-server';
import { caseView, signedIn } from './fixtures';
import { renderPage, tap, textOf, typeInto, waitFor } from './page-driver';
import { loadPage } from './simulator';
import { optionsOf, stubWx } from './wx-stubs';

const JOIN = 'POST /api/v1/cases/join';

let pageId: string;
beforeAll(() => {
  pageId = loadPage('pages/report-join/index');
});

beforeEach(() => {
  wx.clearStorageSync();
  signedIn('verified');
});

async function fillIn(page: ReturnType<typeof renderPage>, code: string, plate = '粤J54321'): Promise<void> {
  await typeInto(page, '#code', code);
  await typeInto(page, '#plate', plate);
  await tap(page, '#facts');
}

test('checks code, plate and the facts box before sending anything', async () => {
  const server = fakeServer();
  const page = renderPage(pageId);

  await typeInto(page, '#code', 'K7M2');
  await typeInto(page, '#plate', '粤J5432');
  await tap(page, '#submit');

  expect(textOf(page, '#error-code')).toBe('案件码是 6 位，您输入了 4 位');
  expect(textOf(page, '#error-plate')).not.toBeNull();
  expect(textOf(page, '#error-plate')).toBe('车牌号应为 7 位，新能源车 8 位，如 粤J12345');
  expect(textOf(page, '#error-facts')).toBe('请确认以上情况属实后再加入');
  expect(server.requests).toHaveLength(0);
});

test('a wrong code shows the server’s message under the code; the right one joins and opens the waiting page', async () => {
  const server = fakeServer();
  server.on(
    JOIN,
    { status: 404, body: { code: 'JOIN_CODE_INVALID', message: '案件码不正确，请核对对方手机上显示的 6 位案件码' } },
    { status: 200, body: caseView({ caseId: 'case_3' }) },
  );
  const reLaunch = stubWx('reLaunch', { ok: {} });
  const page = renderPage(pageId);

  await fillIn(page, 'k7m 2qq');
  await tap(page, '#submit');

  await waitFor(() => expect(textOf(page, '#error-code')).toBe('案件码不正确，请核对对方手机上显示的 6 位案件码'));
  expect(server.to(JOIN)[0]!.data).toEqual({ code: 'K7M2QQ', plate: '粤J54321', factsConfirmed: true });
  expect(reLaunch).not.toHaveBeenCalled();

  await typeInto(page, '#code', 'k7m2-q9');
  await tap(page, '#submit');

  await waitFor(() => expect(reLaunch).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/report-waiting/index?caseId=case_3' })));
  expect(server.to(JOIN)[1]!.data).toEqual({ code: 'K7M2Q9', plate: '粤J54321', factsConfirmed: true });
  expect(server.to(JOIN)[1]!.header.Authorization).toBe('Bearer access-1');
});

test('look-alike characters (0/O, 1/I/L) are not in any code: pointed out before a try is spent', async () => {
  const server = fakeServer();
  const page = renderPage(pageId);

  await fillIn(page, 'ab0ilo');
  await tap(page, '#submit');

  expect(textOf(page, '#error-code')).toBe('案件码里没有 0、1 和字母 O、I、L，请对照对方手机再核对一下');
  expect(server.requests).toHaveLength(0);
});

test('a plate already in the case is pointed out under the plate', async () => {
  const server = fakeServer();
  server.on(JOIN, { status: 409, body: { code: 'PLATE_ALREADY_IN_CASE', message: '车牌 粤J54321 已在该案件中，请核对车牌号' } });
  const page = renderPage(pageId);

  await fillIn(page, 'K7M2Q9');
  await tap(page, '#submit');

  await waitFor(() => expect(textOf(page, '#error-plate')).toBe('车牌 粤J54321 已在该案件中，请核对车牌号'));
  expect(textOf(page, '#error-code')).toBeNull();
});

test('a driver already in another open case is offered that case', async () => {
  const server = fakeServer();
  server.on(JOIN, { status: 409, body: { code: 'OPEN_CASE_EXISTS', message: '您有一起正在处理的事故，请先处理完该案件', caseId: 'case_mine' } });
  const reLaunch = stubWx('reLaunch', { ok: {} });
  const page = renderPage(pageId);

  await fillIn(page, 'K7M2Q9');
  await tap(page, '#submit');

  await waitFor(() => expect(textOf(page, '#form-error')).toBe('您有一起正在处理的事故，请先处理完该案件'));
  expect(reLaunch).not.toHaveBeenCalled();
  await tap(page, '#open-case');
  expect(reLaunch).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/report-waiting/index?caseId=case_mine' }));
});

test.each([
  [409, 'CASE_FULL', '该案件已有 3 辆车，视频快处最多处理 3 车事故，请拨打 122'],
  [409, 'CONFLICT', '您已以车牌 粤J11111 加入该案件'],
  [429, 'JOIN_RATE_LIMITED', '案件码输错次数过多，请 10 分钟后再试'],
])('%i %s is shown as the server words it', async (status, code, message) => {
  const server = fakeServer();
  server.on(JOIN, { status, body: { code, message, ...(status === 429 ? { retryAfterSeconds: 60 } : {}) } });
  const reLaunch = stubWx('reLaunch', { ok: {} });
  const page = renderPage(pageId);

  await fillIn(page, 'K7M2Q9');
  await tap(page, '#submit');

  await waitFor(() => expect(textOf(page, '#form-error')).toBe(message));
  expect(textOf(page, '#error-code')).toBeNull();
  expect(reLaunch).not.toHaveBeenCalled();
  expect(server.to(JOIN)).toHaveLength(1); // a refusal is not retried behind the driver's back
});

test('an unverified driver is told so and offered 实人认证', async () => {
  const server = fakeServer();
  server.on(JOIN, { status: 403, body: { code: 'VERIFICATION_REQUIRED', message: '请先完成实人认证' } });
  const navigateTo = stubWx('navigateTo', { ok: {} });
  const page = renderPage(pageId);

  await fillIn(page, 'K7M2Q9');
  await tap(page, '#submit');

  await waitFor(() => expect(textOf(page, '#form-error')).toBe('请先完成实人认证'));
  await tap(page, '#go-verify');
  expect(navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/verify/index' }));
});

test('scanning: a link ending ?code= fills the code; something else is refused; closing the scanner says nothing', async () => {
  const scanCode = stubWx(
    'scanCode',
    { ok: { result: 'https://example.invalid/join?code=k7m2q9', scanType: 'QR_CODE', charSet: 'utf-8' } },
    { ok: { result: 'wxp://f2f0payment', scanType: 'QR_CODE', charSet: 'utf-8' } },
    { fail: 'scanCode:fail cancel' },
    { ok: { result: 'ZX83AB', scanType: 'QR_CODE', charSet: 'utf-8' } },
  );
  const page = renderPage(pageId);

  await tap(page, '#scan');
  await waitFor(() => expect(page.data.codeValue).toBe('K7M2Q9'));
  expect(optionsOf(scanCode)).toMatchObject({ onlyFromCamera: true, scanType: ['qrCode'] });

  await tap(page, '#scan');
  await waitFor(() => expect(textOf(page, '#scan-error')).toContain('这不是报案的案件码'));
  expect(page.data.codeValue).toBe('K7M2Q9');

  await tap(page, '#scan');
  await waitFor(() => expect(scanCode).toHaveBeenCalledTimes(3));
  expect(textOf(page, '#scan-error')).toBeNull();

  await tap(page, '#scan');
  await waitFor(() => expect(page.data.codeValue).toBe('ZX83AB'));
});

test('a code handed over in the page query is filled in', () => {
  const page = renderPage(pageId, { code: 'k7m2q9' });
  expect(page.data.codeValue).toBe('K7M2Q9');
});
