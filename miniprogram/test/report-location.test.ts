/**
 * 事故地点: the permission flow and the GPS fix, with wx.getSetting / authorize / getLocation /
 * openSetting / chooseLocation stubbed with the phone's callbacks and real errMsg strings.
 */
import { signedIn } from './fixtures';
import { domOf, renderPage, tap, textOf, waitFor } from './page-driver';
import { loadPage } from './simulator';
import { optionsOf, stubWx } from './wx-stubs';

const FIX = { latitude: 22.578612, longitude: 113.081534, accuracy: 12.6, speed: 0, altitude: 0, verticalAccuracy: 0, horizontalAccuracy: 12.6 };

let pageId: string;
beforeAll(() => {
  pageId = loadPage('pages/report-location/index');
});

beforeEach(() => {
  wx.clearStorageSync();
  signedIn('verified');
  wx.setStorageSync('reportFlow', { safetyCheckId: 'sc_1' });
});

function permission(value: boolean | undefined): jest.Mock {
  return stubWx('getSetting', { ok: { authSetting: value === undefined ? {} : { 'scope.userLocation': value } } });
}

test('allowed: locates in GCJ-02 with high accuracy, shows the accuracy, keeps the location and goes on', async () => {
  permission(true);
  const authorize = stubWx('authorize', { ok: {} });
  const getLocation = stubWx('getLocation', { ok: FIX });
  const navigateTo = stubWx('navigateTo', { ok: {} });
  const page = renderPage(pageId);

  await waitFor(() => expect(textOf(page, '#located')).toContain('已获取事故地点'));
  expect(authorize).not.toHaveBeenCalled(); // already allowed: no second prompt
  expect(getLocation).toHaveBeenCalledTimes(1);
  expect(optionsOf(getLocation)).toMatchObject({ type: 'gcj02', isHighAccuracy: true });
  expect(textOf(page, '#accuracy')).toBe('定位精度约 13 米');
  expect(textOf(page, '#coords')).toContain('22.57861, 113.08153');
  expect(wx.getStorageSync('reportFlow')).toMatchObject({
    safetyCheckId: 'sc_1',
    location: { lat: 22.578612, lng: 113.081534, coordType: 'gcj02', accuracyM: 13 },
  });

  await tap(page, '#next');
  expect(navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/report-questions/index' }));
});

test('never asked: asks with wx.authorize first, then locates', async () => {
  permission(undefined);
  const authorize = stubWx('authorize', { ok: {} });
  const getLocation = stubWx('getLocation', { ok: FIX });
  const page = renderPage(pageId);

  await waitFor(() => expect(textOf(page, '#located')).not.toBeNull());
  expect(optionsOf(authorize)).toMatchObject({ scope: 'scope.userLocation' });
  expect(authorize.mock.invocationCallOrder[0]).toBeLessThan(getLocation.mock.invocationCallOrder[0]!);
});

test('refused before: explains, opens the settings page, and locates once it is allowed', async () => {
  // The phone's settings: what openSetting's page leaves behind, getSetting reports afterwards.
  let allowed = false;
  const switches = [false, true]; // the driver leaves settings without, then with, the switch on
  const getSetting = jest.fn((options: WechatMiniprogram.GetSettingOption) => {
    setTimeout(() => options.success?.({ authSetting: { 'scope.userLocation': allowed }, errMsg: 'getSetting:ok' } as WechatMiniprogram.GetSettingSuccessCallbackResult), 1);
  });
  const openSetting = jest.fn((options: WechatMiniprogram.OpenSettingOption) => {
    allowed = switches.shift() ?? allowed;
    setTimeout(() => options.success?.({ authSetting: { 'scope.userLocation': allowed }, errMsg: 'openSetting:ok' } as WechatMiniprogram.OpenSettingSuccessCallbackResult), 1);
  });
  wx.getSetting = getSetting as unknown as typeof wx.getSetting;
  wx.openSetting = openSetting as unknown as typeof wx.openSetting;
  const getLocation = stubWx('getLocation', { ok: FIX });
  const page = renderPage(pageId);

  await waitFor(() => expect(textOf(page, '#denied')).toContain('需要使用您的位置'));
  expect(textOf(page, '#denied')).toContain('在设置中打开「位置信息」');
  expect(getLocation).not.toHaveBeenCalled();

  // Back from settings without switching it on: still refused, and told so.
  await tap(page, '#open-setting');
  await waitFor(() => expect(textOf(page, '#hint')).toContain('还没有打开「位置信息」'));
  expect(getLocation).not.toHaveBeenCalled();

  await tap(page, '#open-setting');
  await waitFor(() => expect(textOf(page, '#located')).toContain('定位精度约 13 米'));
  expect(openSetting).toHaveBeenCalledTimes(2);
  expect(getSetting).toHaveBeenCalledTimes(2); // on opening, and again after the switch went on
  expect(getLocation).toHaveBeenCalledTimes(1);
  expect(textOf(page, '#denied')).toBeNull();
});

test.each([
  ['authorize:fail auth deny', 'authorize'],
  ['getLocation:fail auth deny', 'getLocation'],
])('refusing the prompt (%s) leads to the settings guidance', async (errMsg, api) => {
  permission(undefined);
  stubWx('authorize', api === 'authorize' ? { fail: errMsg } : { ok: {} });
  stubWx('getLocation', { fail: errMsg });
  const page = renderPage(pageId);

  await waitFor(() => expect(textOf(page, '#denied')).toContain('您没有允许小程序使用位置信息'));
  expect(domOf(page, '#open-setting')).not.toBeNull();
});

test('the phone’s location service is off: says to turn on 定位/GPS, and 重新定位 tries again', async () => {
  permission(true);
  const getLocation = stubWx('getLocation', { fail: 'getLocation:fail system permission denied' }, { ok: FIX });
  const page = renderPage(pageId);

  await waitFor(() => expect(textOf(page, '#locate-error')).toContain('请打开手机定位'));
  expect(textOf(page, '#locate-message')).toContain('打开定位服务（GPS）');
  expect(domOf(page, '#open-setting')).toBeNull(); // not a mini-program permission: settings page would not help

  await tap(page, '#retry');
  await waitFor(() => expect(textOf(page, '#located')).not.toBeNull());
  expect(getLocation).toHaveBeenCalledTimes(2);
});

test('Android’s switched-off location is the same advice', async () => {
  permission(true);
  stubWx('getLocation', { fail: 'getLocation:fail:ERROR_NOCELL&WIFI_LOCATIONSWITCHOFF' });
  const page = renderPage(pageId);
  await waitFor(() => expect(textOf(page, '#locate-message')).toContain('打开定位服务（GPS）'));
});

test('a timeout offers 重新定位', async () => {
  permission(true);
  const getLocation = stubWx('getLocation', { fail: 'getLocation:fail timeout' }, { ok: FIX });
  const page = renderPage(pageId);

  await waitFor(() => expect(textOf(page, '#locate-message')).toContain('定位超时'));
  expect(textOf(page, '#retry')).toBe('重新定位');
  await tap(page, '#retry');
  await waitFor(() => expect(textOf(page, '#located')).not.toBeNull());
  expect(getLocation).toHaveBeenCalledTimes(2);
});

test('a rough fix suggests the map; the pinned spot replaces the fix and is marked confirmed', async () => {
  permission(true);
  stubWx('getLocation', { ok: { ...FIX, accuracy: 350 } });
  const chooseLocation = stubWx('chooseLocation', { ok: { name: '建设三路', address: '江门市蓬江区建设三路 18 号', latitude: 22.5791, longitude: 113.0822 } });
  const page = renderPage(pageId);

  await waitFor(() => expect(textOf(page, '#accuracy')).toBe('定位精度约 350 米，不太准确，建议在地图上确认'));
  await tap(page, '#pin');

  await waitFor(() => expect(textOf(page, '#accuracy')).toBe('已在地图上确认位置'));
  expect(optionsOf(chooseLocation)).toMatchObject({ latitude: 22.578612, longitude: 113.081534 });
  expect(textOf(page, '#location-label')).toBe('建设三路，江门市蓬江区建设三路 18 号');
  expect(wx.getStorageSync('reportFlow')).toMatchObject({
    location: { lat: 22.5791, lng: 113.0822, coordType: 'gcj02', accuracyM: 350, confirmedOnMap: true },
  });
});
