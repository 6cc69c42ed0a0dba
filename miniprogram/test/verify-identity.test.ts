/** The instant checks of the 实人认证 form (GB 11643 check digit etc.) and the photo pre-check. */
import { idCheckChar, idNumberError, nameError, normalizeIdNumber, phoneError, validityError } from '../utils/identity';
import { idPhotoError } from '../utils/upload';

describe('ID number check (GB 11643)', () => {
  test('accepts numbers whose 18th character matches the weighted checksum, X included', () => {
    expect(idCheckChar('11010519491231002')).toBe('X'); // the standard's published example
    expect(idNumberError('11010519491231002X')).toBeNull();
    expect(idNumberError('11010519491231002x')).toBeNull(); // lowercase x typed on the phone
    expect(normalizeIdNumber(' 110105 19491231002x ')).toBe('11010519491231002X');
    // Σ(digit × weight) = 196, 196 mod 11 = 9 → '3' (worked by hand).
    expect(idCheckChar('44052419800101001')).toBe('3');
    expect(idNumberError('440524198001010013')).toBeNull();
  });

  test('says what is wrong: empty, length, characters, check digit', () => {
    expect(idNumberError('')).toBe('请输入身份证号');
    expect(idNumberError('4405241980')).toBe('身份证号应为 18 位，您输入了 10 位');
    expect(idNumberError('44052419800101001A')).toContain('最后一位是数字或 X');
    expect(idNumberError('440524198001010014')).toBe('身份证号有误，请对照身份证逐位核对');
    expect(idNumberError('110105194912310021')).toBe('身份证号有误，请对照身份证逐位核对');
  });
});

describe('other fields', () => {
  test('name, phone and validity period', () => {
    expect(nameError(' ')).toBe('请输入姓名');
    expect(nameError('欧阳·娜娜')).toBeNull();
    expect(phoneError('1390000222')).toBe('请输入 11 位手机号');
    expect(phoneError('139 0000 2222')).toBeNull();
    expect(validityError('', '', false)).toContain('起始日期');
    expect(validityError('2020-01-01', '', true)).toBeNull();
    expect(validityError('2020-01-01', '', false)).toContain('长期');
    expect(validityError('2020-01-01', '2019-01-01', false)).toBe('截止日期应晚于起始日期');
    expect(validityError('2020-01-01', '2040-01-01', false)).toBeNull();
  });

  test('photos: JPEG/PNG up to 5 MB', () => {
    expect(idPhotoError({ tempFilePath: 'wxfile://a.JPG', size: 5 * 1024 * 1024 })).toBeNull();
    expect(idPhotoError({ tempFilePath: 'wxfile://a.png', size: 5 * 1024 * 1024 + 1 })).toContain('5 MB');
    expect(idPhotoError({ tempFilePath: 'wxfile://a.gif', size: 10 })).toContain('JPG 或 PNG');
  });
});
