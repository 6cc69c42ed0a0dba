/**
 * The validity period printed on the back of an ID card (有效期限). By the Resident Identity Card Law
 * (居民身份证法 §5) a card issued under 16 is valid 5 years, 16–25 ten years, 26–45 twenty years, and
 * from 46 it is long-term (长期).
 */
export interface IdValidityInput {
  /** YYYY-MM-DD */
  start: string;
  /** YYYY-MM-DD, or null for 长期 */
  end: string | null;
}

export type IdValidityCheck = { ok: true } | { ok: false; field: 'start' | 'end'; message: string };

const parse = (s: string): Date | null => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCDate() === Number(m[3]) && d.getUTCMonth() === Number(m[2]) - 1 ? d : null;
};

function ageOn(birthDate: string, day: Date): number {
  const birth = parse(birthDate)!;
  let age = day.getUTCFullYear() - birth.getUTCFullYear();
  if (day.getUTCMonth() < birth.getUTCMonth() || (day.getUTCMonth() === birth.getUTCMonth() && day.getUTCDate() < birth.getUTCDate())) age--;
  return age;
}

function lawfulYears(ageAtIssue: number): number | null {
  if (ageAtIssue < 16) return 5;
  if (ageAtIssue <= 25) return 10;
  if (ageAtIssue <= 45) return 20;
  return null; // long-term
}

/** `today` is the date in Asia/Shanghai, YYYY-MM-DD. */
export function checkIdValidity(input: IdValidityInput, birthDate: string, today: string): IdValidityCheck {
  const start = parse(input.start);
  const now = parse(today)!;
  if (!start) return { ok: false, field: 'start', message: '请按“年-月-日”填写有效期起始日期' };
  if (start > now) return { ok: false, field: 'start', message: '有效期起始日期不能晚于今天' };
  if (start < parse(birthDate)!) return { ok: false, field: 'start', message: '有效期起始日期早于出生日期，请核对' };

  const years = lawfulYears(ageOn(birthDate, start));
  if (input.end === null) {
    if (years !== null) return { ok: false, field: 'end', message: `按办证时的年龄，证件有效期应为 ${years} 年，不是长期，请核对证件背面` };
    return { ok: true };
  }
  const end = parse(input.end);
  if (!end) return { ok: false, field: 'end', message: '请按“年-月-日”填写有效期截止日期' };
  if (end <= start) return { ok: false, field: 'end', message: '截止日期必须晚于起始日期' };
  if (end < now) return { ok: false, field: 'end', message: '身份证已过有效期，请先换领新证，或用临时身份证到窗口办理' };
  if (years === null) return { ok: false, field: 'end', message: '按办证时的年龄，证件应为长期有效，请核对证件背面' };
  const expected = new Date(start);
  expected.setUTCFullYear(start.getUTCFullYear() + years);
  if (expected.getTime() !== end.getTime()) {
    return { ok: false, field: 'end', message: `有效期应为 ${years} 年（${input.start} 至 ${expected.toISOString().slice(0, 10)}），请核对证件背面` };
  }
  return { ok: true };
}
