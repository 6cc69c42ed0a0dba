/**
 * Second-generation resident ID numbers (GB 11643-1999): 6-digit administrative region (GB/T 2260),
 * 8-digit birth date, 3-digit sequence (odd = male), and an ISO 7064 MOD 11-2 check character.
 */
export type IdNumberProblem = 'format' | 'region' | 'birth_date' | 'checksum';

export type IdNumberCheck =
  | { ok: true; idNumber: string; regionCode: string; birthDate: string; sex: 'male' | 'female' }
  | { ok: false; problem: IdNumberProblem; message: string };

/** Province-level prefixes of GB/T 2260 (plus 71/81/82 and 83 for residence permits). */
const PROVINCES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
  '71', '81', '82', '83',
]);

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';

export function checkDigit(first17: string): string {
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(first17[i]), 0);
  return CHECK_CHARACTERS[sum % 11]!;
}

const MESSAGES: Record<IdNumberProblem, string> = {
  format: '身份证号应为 18 位，最后一位可以是数字或 X',
  region: '身份证号前 6 位（地区码）不正确，请核对',
  birth_date: '身份证号中的出生日期不正确，请核对',
  checksum: '身份证号校验不通过，请逐位核对后重新输入',
};

export function checkIdNumber(input: string, today: Date = new Date()): IdNumberCheck {
  const idNumber = input.trim().toUpperCase();
  const fail = (problem: IdNumberProblem): IdNumberCheck => ({ ok: false, problem, message: MESSAGES[problem] });
  if (!/^\d{17}[\dX]$/.test(idNumber)) return fail('format');

  const regionCode = idNumber.slice(0, 6);
  if (!PROVINCES.has(regionCode.slice(0, 2)) || regionCode.slice(2) === '0000') return fail('region');

  const year = Number(idNumber.slice(6, 10));
  const month = Number(idNumber.slice(10, 12));
  const day = Number(idNumber.slice(12, 14));
  const birth = new Date(Date.UTC(year, month - 1, day));
  const real = birth.getUTCFullYear() === year && birth.getUTCMonth() === month - 1 && birth.getUTCDate() === day;
  if (!real || year < 1900 || birth.getTime() > today.getTime()) return fail('birth_date');

  if (checkDigit(idNumber.slice(0, 17)) !== idNumber[17]) return fail('checksum');

  return {
    ok: true,
    idNumber,
    regionCode,
    birthDate: `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`,
    sex: Number(idNumber[16]) % 2 === 1 ? 'male' : 'female',
  };
}
