/**
 * 现场安全确认 in miniprogram-simulate with the real TDesign checkboxes and button, our request code
 * and the fake server.
 */
import { fakeServer } from './fake-server';
import { flowAfterLocation, signedIn } from './fixtures';
import { domOf, isChecked, renderPage, tap, textOf, waitFor } from './page-driver';
import { loadPage } from './simulator';
import { stubWx } from './wx-stubs';

const SAFETY = 'POST /api/v1/safety-checks';
const OK = { status: 201, body: { safetyCheckId: 'sc_9', confirmedAt: '2025-06-01T02:28:00.000Z', validUntil: '2025-06-01T02:58:00.000Z' } };
const ITEMS = ['#check-hazardLightsOn', '#check-warningTrianglePlaced', '#check-peopleInSafePlace'];

let pageId: string;
beforeAll(() => {
  pageId = loadPage('pages/report-safety/index');
});

beforeEach(() => {
  wx.clearStorageSync();
  signedIn('verified');
});

test('下一步 stays disabled until all three are ticked; then the confirmation is sent and the location page opens', async () => {
  const server = fakeServer();
  server.on(SAFETY, OK);
  const navigateTo = stubWx('navigateTo', { ok: {} });
  const page = renderPage(pageId);

  const checklist = textOf(page, '#checklist') ?? '';
  expect(checklist).toContain('危险报警闪光灯');
  expect(checklist).toContain('车后 50～100 米处摆放三角警示牌');
  expect(checklist).toContain('撤到安全地方');
  expect(domOf(page, '#continue')?.className).toContain('t-button--disabled');

  await tap(page, '#continue'); // disabled: nothing happens
  await tap(page, ITEMS[0]!);
  await tap(page, ITEMS[1]!);
  expect(isChecked(page, ITEMS[0]!)).toBe(true);
  expect(isChecked(page, ITEMS[2]!)).toBe(false);
  expect(domOf(page, '#continue')?.className).toContain('t-button--disabled');
  await tap(page, '#continue');
  expect(server.requests).toHaveLength(0);

  // Unticking one disables it again.
  await tap(page, ITEMS[2]!);
  await tap(page, ITEMS[0]!);
  expect(domOf(page, '#continue')?.className).toContain('t-button--disabled');
  await tap(page, ITEMS[0]!);
  expect(domOf(page, '#continue')?.className).not.toContain('t-button--disabled');
  expect(textOf(page, '#pending-hint')).toBeNull();

  await tap(page, '#continue');

  await waitFor(() => expect(navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/report-location/index' })));
  expect(server.to(SAFETY)).toHaveLength(1);
  const sent = server.to(SAFETY)[0]!;
  expect(sent.data).toEqual({ hazardLightsOn: true, warningTrianglePlaced: true, peopleInSafePlace: true });
  expect(sent.header.Authorization).toBe('Bearer access-1');
  expect(sent.header['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);
  expect(wx.getStorageSync('reportFlow')).toMatchObject({ safetyCheckId: 'sc_9', safetyConfirmedAt: '2025-06-01T02:28:00.000Z' });
});

test('a new report forgets what an unfinished earlier one left behind', () => {
  flowAfterLocation({ answers: { vehicleCount: 2 } });
  renderPage(pageId);
  expect(wx.getStorageSync('reportFlow')).toBe('');
});

test('re-confirming for the questions page keeps the report and goes back there', async () => {
  flowAfterLocation({ safetyCheckId: null });
  const server = fakeServer();
  server.on(SAFETY, OK);
  const navigateBack = stubWx('navigateBack', { ok: {} });
  const navigateTo = stubWx('navigateTo', { ok: {} });
  const page = renderPage(pageId, { then: 'back' });

  for (const item of ITEMS) await tap(page, item);
  await tap(page, '#continue');

  await waitFor(() => expect(navigateBack).toHaveBeenCalledTimes(1));
  expect(navigateTo).not.toHaveBeenCalled();
  expect(wx.getStorageSync('reportFlow')).toMatchObject({ safetyCheckId: 'sc_9', location: { lat: 22.5786 } });
});

test('a failure is shown in Chinese, and the driver can send it again', async () => {
  const server = fakeServer();
  server.on(SAFETY, { status: 500, body: { code: 'INTERNAL_ERROR', message: '服务器开小差了，请稍后再试' } }, OK);
  const navigateTo = stubWx('navigateTo', { ok: {} });
  const page = renderPage(pageId);
  for (const item of ITEMS) await tap(page, item);

  await tap(page, '#continue');
  await waitFor(() => expect(textOf(page, '#error')).toBe('服务器开小差了，请稍后再试'));
  expect(navigateTo).not.toHaveBeenCalled();

  await tap(page, '#continue');
  await waitFor(() => expect(navigateTo).toHaveBeenCalledTimes(1));
  expect(textOf(page, '#error')).toBeNull();
  expect(server.to(SAFETY)).toHaveLength(2);
});
