import { z } from 'zod';
import { freeText } from '../../src/platform/free-text';
import { maskSensitiveNumbers } from '../../src/platform/mask';

describe('masking ID and bank-card numbers in what people type', () => {
  it.each([
    ['身份证 440703199001011234', '身份证 4407**********1234'],
    ['身份证号44070319900101123X，请核对', '身份证号4407**********123X，请核对'],
    ['id 44070319900101123x', 'id 4407**********123x'],
    ['440703 19900101 123X', '4407** ******** 123X'],
    ['旧身份证 440703900101123', '旧身份证 4407*******1123'],
  ])('ID numbers, with or without X, grouped or not: %s', (typed, shown) => {
    expect(maskSensitiveNumbers(typed)).toBe(shown);
  });

  it.each([
    ['卡号6222021234567890123', '卡号6222***********0123'],
    ['卡号 6222 0212 3456 7890 123 谢谢', '卡号 6222 **** **** ***0 123 谢谢'],
    ['6222-0212-3456-7890', '6222-****-****-7890'],
    ['4111111111111111', '4111********1111'],
    ['AMEX 3782 822463 10005', 'AMEX 3782 ****** *0005'],
    ['十三位 1234567890123。', '十三位 1234*****0123。'],
    ['全角 ６２２２０２１２３４５６７８９０', '全角 ６２２２********７８９０'],
  ])('bank-card-like numbers of 13–19 digits, as people type them: %s', (typed, shown) => {
    expect(maskSensitiveNumbers(typed)).toBe(shown);
  });

  it('masks a card typed next to a phone number, and keeps the phone number', () => {
    expect(maskSensitiveNumbers('6222021234567890 13800138000')).toBe('6222********7890 13800138000');
    expect(maskSensitiveNumbers('卡 6222 0212 3456 7890 电话 138 0013 8000')).toBe('卡 6222 **** **** 7890 电话 138 0013 8000');
  });

  it.each([
    '我的电话 13800138000，打给我',
    '电话 138 0013 8000',
    '电话 138-0013-8000',
    '+86 13800138000',
    '+8613800138000',
    '0086 138 0013 8000',
    '13800138000 13900139000',
    '车牌 粤J12345，对方 粤JD12345',
    '2026-11-30 14:30 在建设三路',
    '2026-11-30 至 2026-12-01',
    '2026-11-30 2026-12-01',
    '保单号 PDAA202344070000012345',
    '保单 PDZA2026001',
    '订单号 11055003900123456789012',
    '车架号 LSVAU2180N2123456',
    '维修费 1200 元，3500 元',
    '座机 0750-3123456',
    '十二位 123456789012',
    '',
  ])('leaves alone what is not an ID or card number: %s', (text) => {
    expect(maskSensitiveNumbers(text)).toBe(text);
  });

  it('is idempotent: masked text stays as it is', () => {
    const once = maskSensitiveNumbers('6222 0212 3456 7890 123 和 440703199001011234');
    expect(maskSensitiveNumbers(once)).toBe(once);
  });

  it('freeText trims, limits and masks; the length limit is checked before masking', () => {
    const schema = z.object({ text: freeText(40, { min: 1, minMessage: '请输入消息内容' }) });
    expect(schema.parse({ text: '  卡号 6222021234567890  ' })).toEqual({ text: '卡号 6222********7890' });
    expect(schema.safeParse({ text: '   ' }).error?.issues[0]?.message).toBe('请输入消息内容');
    expect(schema.safeParse({ text: 'x'.repeat(41) }).success).toBe(false);
    expect(schema.safeParse({ text: 12 }).success).toBe(false);
    expect(z.object({ note: freeText(20).nullable().optional() }).parse({ note: null })).toEqual({ note: null });
  });
});

it('freeText refuses a NUL (the engine cannot store one) with a message a person can act on', () => {
  const result = freeText(20).safeParse('张\u0000三');
  expect(result.success).toBe(false);
  expect(result.error?.issues[0]?.message).toContain('U+0000');
  expect(freeText(20).safeParse('张三 \\u0000').success).toBe(true);
});
