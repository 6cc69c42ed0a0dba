/**
 * Instant checks of what a driver types into the 实人认证 form, so a typo is pointed out before any
 * request. The server checks everything again; these only save a round trip at the roadside.
 */

/** GB 11643-1999: weights of the first 17 digits and the check character for each remainder mod 11. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** Spaces removed and a lowercase x made uppercase, the way the number is printed on the card. */
export function normalizeIdNumber(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

/** The check character the first 17 digits call for. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17.charAt(i)) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS.charAt(sum % 11);
}

/** null when the number looks right, else what to tell the driver. */
export function idNumberError(raw: string): string | null {
  const id = normalizeIdNumber(raw);
  if (!id) return '请输入身份证号';
  if (id.length !== 18) return `身份证号应为 18 位，您输入了 ${id.length} 位`;
  if (!/^\d{17}[\dX]$/.test(id)) return '身份证号前 17 位应为数字，最后一位是数字或 X';
  if (idCheckChar(id.slice(0, 17)) !== id.charAt(17)) return '身份证号有误，请对照身份证逐位核对';
  return null;
}

export function nameError(raw: string): string | null {
  const name = raw.trim();
  if (!name) return '请输入姓名';
  if (name.length > 30) return '姓名太长，请按身份证填写';
  return null;
}

export function phoneError(raw: string): string | null {
  const phone = raw.replace(/\s+/g, '');
  if (!phone) return '请输入手机号';
  if (!/^1\d{10}$/.test(phone)) return '请输入 11 位手机号';
  return null;
}

/** The card's validity period (有效期限). `end` is ignored when 长期. Dates are YYYY-MM-DD. */
export function validityError(start: string, end: string, longTerm: boolean): string | null {
  if (!start) return '请选择有效期限的起始日期';
  if (longTerm) return null;
  if (!end) return '请选择有效期限的截止日期，或打开「长期」';
  if (end <= start) return '截止日期应晚于起始日期';
  return null;
}
