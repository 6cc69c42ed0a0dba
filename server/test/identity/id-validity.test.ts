import { checkIdValidity } from '../../src/identity/id-validity';

describe('ID card validity period', () => {
  const today = '2026-11-25';
  it.each([
    ['20 years for a card issued at 30', '1990-03-07', { start: '2020-06-01', end: '2040-06-01' }],
    ['10 years for a card issued at 20', '2004-01-01', { start: '2024-02-01', end: '2034-02-01' }],
    ['5 years for a card issued at 12', '2012-05-05', { start: '2024-08-08', end: '2029-08-08' }],
    ['long-term for a card issued at 50', '1970-01-01', { start: '2020-01-01', end: null }],
  ])('accepts %s', (_label, birth, validity) => {
    expect(checkIdValidity(validity, birth, today)).toEqual({ ok: true });
  });

  it.each([
    ['an expired card', '1990-03-07', { start: '2006-06-01', end: '2026-06-01' }, 'end', /已过有效期/],
    ['an end before the start', '1990-03-07', { start: '2020-06-01', end: '2019-06-01' }, 'end', /晚于起始/],
    ['a length the law does not give', '1990-03-07', { start: '2020-06-01', end: '2030-06-01' }, 'end', /20 年/],
    ['long-term for a young holder', '1990-03-07', { start: '2020-06-01', end: null }, 'end', /不是长期/],
    ['a start in the future', '1990-03-07', { start: '2027-01-01', end: '2047-01-01' }, 'start', /不能晚于今天/],
    ['a date that does not exist', '1990-03-07', { start: '2020-02-30', end: '2040-02-30' }, 'start', /年-月-日/],
  ])('refuses %s', (_label, birth, validity, field, message) => {
    expect(checkIdValidity(validity, birth, today)).toEqual({ ok: false, field, message: expect.stringMatching(message) });
  });
});
