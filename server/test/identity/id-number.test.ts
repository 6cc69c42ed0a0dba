import { checkDigit, checkIdNumber } from '../../src/identity/id-number';

/** Builds a valid number from its first 17 digits, so tests do not depend on any real person's. */
const valid = (first17: string) => first17 + checkDigit(first17);

describe('GB 11643 ID numbers', () => {
  it('accepts a well-formed number and reads region, birth date and sex from it', () => {
    const id = valid('44070319900307241');
    expect(checkIdNumber(id)).toEqual({ ok: true, idNumber: id, regionCode: '440703', birthDate: '1990-03-07', sex: 'male' });
  });

  it('accepts a check character X, typed in lower case', () => {
    // Find a 17-digit body whose check character is X.
    let sequence = 100;
    while (checkDigit(`44070319850101${sequence}`) !== 'X') sequence++;
    const body = `44070319850101${sequence}`;
    const result = checkIdNumber(`${body}x`);
    expect(result).toMatchObject({ ok: true, idNumber: `${body}X`, sex: sequence % 2 ? 'male' : 'female' });
  });

  it.each([
    ['format', '44070319900307'],
    ['format', '4407031990030724AB'],
    ['region', valid('99070319900307241')],
    ['region', valid('44000019900307241')],
    ['birth_date', valid('44070319900230241')],
    ['birth_date', valid('44070318890101241')],
    ['birth_date', valid('44070320990101241')],
  ])('refuses a bad %s', (problem, id) => {
    expect(checkIdNumber(id)).toMatchObject({ ok: false, problem, message: expect.stringContaining('身份证号') });
  });

  it('refuses a wrong check character, with a plain next step', () => {
    const id = valid('44070319900307241');
    const wrong = id.slice(0, 17) + (id[17] === '1' ? '2' : '1');
    expect(checkIdNumber(wrong)).toEqual({ ok: false, problem: 'checksum', message: '身份证号校验不通过，请逐位核对后重新输入' });
  });
});
