/** The small rules behind the reporting pages: plates, join codes, location errors, Beijing time. */
import { alternativeViews, alternativesOf, beijingTime } from '../utils/alternatives';
import { joinCodeError, joinCodeFromScan, normalizeJoinCode } from '../utils/joinCode';
import { classifyLocationError } from '../utils/location';
import { normalizePlate, plateError } from '../utils/plate';

describe('plates', () => {
  test.each(['粤J12345', '粤JD12345', '粤J12345D', '粤JA1B2C', '粤J1234挂', '粤Z1234港', '京A00001', '粤JD1234学'])('%s is accepted', (plate) => {
    expect(plateError(plate)).toBeNull();
  });

  test.each([
    ['', '请输入车牌号'],
    ['J12345', '车牌号第一个字应是省份简称，如「粤」'],
    ['粤112345', '车牌号第二位应是字母，如 粤J12345 里的「J」'],
    ['粤J1234', '车牌号应为 7 位，新能源车 8 位，如 粤J12345'],
    ['粤J1234567', '车牌号应为 7 位，新能源车 8 位，如 粤J12345'],
    ['粤J12?45', '车牌号格式不对，请对照行驶证核对，如 粤J12345'],
    ['粤J12挂45', '车牌号格式不对，请对照行驶证核对，如 粤J12345'],
  ])('%s: %s', (plate, message) => {
    expect(plateError(plate)).toBe(message);
  });

  test('typed the way people type: lowercase, spaces, the dot, O and I for 0 and 1', () => {
    expect(normalizePlate(' 粤j·12o4i ')).toBe('粤J12041');
    expect(plateError('粤j 12o45')).toBeNull();
  });
});

describe('join codes', () => {
  test('normalised: case, spaces and dashes ignored', () => {
    expect(normalizeJoinCode(' k7m-2q9 ')).toBe('K7M2Q9');
    expect(joinCodeError(' k7m-2q9 ')).toBeNull();
  });

  test.each([
    ['', '请输入案件码'],
    ['K7M2Q', '案件码是 6 位，您输入了 5 位'],
    ['K7M2Q9X', '案件码是 6 位，您输入了 7 位'],
    ['K7M2Q!', '案件码只有字母和数字'],
    ['K7M2QO', '案件码里没有 0、1 和字母 O、I、L，请对照对方手机再核对一下'],
    ['K7M21Q', '案件码里没有 0、1 和字母 O、I、L，请对照对方手机再核对一下'],
    ['K7L2Q9', '案件码里没有 0、1 和字母 O、I、L，请对照对方手机再核对一下'],
  ])('%s: %s', (code, message) => {
    expect(joinCodeError(code)).toBe(message);
  });

  test('from a scanned QR code: the code itself or a link with ?code= / &code=', () => {
    expect(joinCodeFromScan('k7m2q9')).toBe('K7M2Q9');
    expect(joinCodeFromScan('https://example.invalid/j?code=K7M2Q9')).toBe('K7M2Q9');
    expect(joinCodeFromScan('pages/report-join/index?from=qr&code=k7m2q9#top')).toBe('K7M2Q9');
    expect(joinCodeFromScan('https://example.invalid/j?code=K7M')).toBeNull();
    expect(joinCodeFromScan('wxp://f2f0abcdef')).toBeNull();
  });
});

describe('location errors', () => {
  test.each([
    ['getLocation:fail auth deny', 'denied'],
    ['getLocation:fail auth denied', 'denied'],
    ['authorize:fail auth deny', 'denied'],
    ['getLocation:fail authorize no response', 'denied'],
    ['getLocation:fail system permission denied', 'system_off'],
    ['getLocation:fail:ERROR_NOCELL&WIFI_LOCATIONSWITCHOFF', 'system_off'],
    ['getLocation:fail timeout', 'timeout'],
    ['getLocation:fail privacy permission is not authorized', 'privacy'],
    ['getLocation:fail:ERROR_NETWORK', 'failed'],
  ])('%s → %s', (errMsg, kind) => {
    expect(classifyLocationError(errMsg)).toBe(kind);
  });
});

describe('alternatives', () => {
  test('each once, most urgent first', () => {
    const kinds = alternativesOf([
      { rule: 'hours', ok: false, code: 'A', reason: '', alternatives: ['self_settlement', 'call_122'] },
      { rule: 'case', ok: false, code: 'B', reason: '', alternatives: ['call_122', 'officer_on_scene'] },
    ]);
    expect(kinds).toEqual(['call_122', 'officer_on_scene', 'self_settlement']);
    expect(alternativeViews(kinds).map((v) => v.call122)).toEqual([true, true, false]);
  });

  test('times are Beijing wall time whatever the phone’s zone', () => {
    expect(beijingTime('2025-06-01T23:30:00.000Z')).toBe('6月2日 07:30');
    expect(beijingTime('nonsense')).toBe('');
  });
});
