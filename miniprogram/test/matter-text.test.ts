/** 网办进度's words: Beijing dates, the 复核 deadline at 24:00, the decision in one sentence. */
import { dateTimeText, deadlineText, decisionSentence } from '../utils/matterText';
import { decision } from './matter-fixtures';

test('times are Beijing time, whatever the phone says', () => {
  expect(dateTimeText('2026-12-01T23:10:00.000Z')).toBe('2026年12月2日 07:10');
  expect(dateTimeText('2026-12-31T16:00:00.000Z')).toBe('2027年1月1日 00:00');
  expect(dateTimeText('not a time')).toBe('');
});

test('a deadline at midnight is the end of the day before: 24:00, across a month end too', () => {
  expect(deadlineText('2026-12-03T16:00:00.000Z')).toBe('2026年12月3日 24:00');
  expect(deadlineText('2026-11-30T16:00:00.000Z')).toBe('2026年11月30日 24:00');
  expect(deadlineText('2026-12-03T09:30:00.000Z')).toBe('2026年12月3日 17:30');
});

test('the decision: mine first, with my plate; no liability reads 无责任', () => {
  expect(decisionSentence(decision())).toBe('您（B 车 粤J22222）负次要责任；A 车（粤J11111）负主要责任');
  const none = decision({
    parties: [
      { label: 'A', plate: '粤J11111', liability: 'none', words: '无责任', basis: '无过错', damages: 'insurance', mine: true },
      { label: 'B', plate: '粤J22222', liability: 'full', words: '全部责任', basis: '追尾', damages: 'insurance', mine: false },
    ],
  });
  expect(decisionSentence(none)).toBe('您（A 车 粤J11111）无责任；B 车（粤J22222）负全部责任');
});
