/**
 * Licence plates (号牌) as drivers type them: 粤J12345, or 粤JD12345 for a new-energy car. The
 * server checks again; this only points out a typo before a round trip at the roadside.
 */

/** The one-character abbreviations that open a plate (使/领: embassies and consulates). */
export const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领';

/** After the province and the issuing office's letter: 5 characters, 6 on new-energy plates (same rule as the server's). */
const SERIAL = /^[A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学警港澳]$/;

/**
 * Spaces, the dot of "粤J·12345" and dashes removed, letters uppercased. Serial numbers have no I or
 * O, so after the first two characters those are the digits 1 and 0 mistyped.
 */
export function normalizePlate(raw: string): string {
  const compact = raw.replace(/[\s·•.\-]/g, '').toUpperCase();
  return compact.slice(0, 2) + compact.slice(2).replace(/O/g, '0').replace(/I/g, '1');
}

/** null when the plate looks right, else what to tell the driver. */
export function plateError(raw: string): string | null {
  const plate = normalizePlate(raw);
  if (!plate) return '请输入车牌号';
  const province = plate.charAt(0);
  if (!PROVINCES.includes(province)) return '车牌号第一个字应是省份简称，如「粤」';
  if (!/^[A-Z]$/.test(plate.charAt(1))) return '车牌号第二位应是字母，如 粤J12345 里的「J」';
  const serial = plate.slice(2);
  if (serial.length !== 5 && serial.length !== 6) return '车牌号应为 7 位，新能源车 8 位，如 粤J12345';
  if (!SERIAL.test(serial)) return '车牌号格式不对，请对照行驶证核对，如 粤J12345';
  return null;
}
