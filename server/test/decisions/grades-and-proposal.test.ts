import { gradeProblem } from '../../src/decisions/grades';
import { proposeLiability } from '../../src/decisions/proposal';
import type { LiabilityGrade } from '../../../typings/api/decisions';

const library = [
  { code: 'rear_end', title: '追尾', description: '', basis: '道交法第四十三条' },
  { code: 'reversing', title: '倒车', description: '', basis: '实施条例第五十条' },
];

describe('§60 grades that can stand together', () => {
  it.each<[LiabilityGrade[], boolean]>([
    [['full', 'none'], true],
    [['full', 'none', 'none'], true],
    [['equal', 'equal'], true],
    [['equal', 'equal', 'equal'], true],
    [['equal', 'equal', 'none'], true],
    [['main', 'minor'], true],
    [['main', 'minor', 'minor'], true],
    [['main', 'minor', 'none'], true],
    [['none', 'none'], true],
    [['full', 'full'], false],
    [['full', 'minor'], false],
    [['equal', 'none'], false],
    [['main', 'main'], false],
    [['main', 'none'], false],
    [['minor', 'none'], false],
    [['main', 'equal', 'minor'], false],
  ])('%j → %s', (grades, ok) => {
    expect(gradeProblem(grades) === null).toBe(ok);
  });
});

describe('the proposal from the tags', () => {
  it('one of two fits → full and none, with the scenario and its basis', () => {
    const p = proposeLiability(['A', 'B'], [{ party: 'B', scenarioCodes: ['reversing'] }], library);
    expect(p.rule).toBe('one_fits');
    expect(p.parties).toEqual([
      { label: 'A', liability: 'none', basis: '无过错' },
      { label: 'B', liability: 'full', basis: '倒车（实施条例第五十条）' },
    ]);
  });
  it('all fit → equal; two of three, or none → no proposal', () => {
    expect(proposeLiability(['A', 'B'], [{ party: 'A', scenarioCodes: ['rear_end'] }, { party: 'B', scenarioCodes: ['reversing'] }], library).parties?.map((x) => x.liability)).toEqual(['equal', 'equal']);
    expect(proposeLiability(['A', 'B', 'C'], [{ party: 'A', scenarioCodes: ['rear_end'] }, { party: 'B', scenarioCodes: ['reversing'] }], library)).toMatchObject({ rule: 'undecided', parties: null });
    expect(proposeLiability(['A', 'B'], [], library)).toMatchObject({ rule: 'undecided', parties: null });
  });
  it('a tag whose scenario left the library counts for nothing', () => {
    expect(proposeLiability(['A', 'B'], [{ party: 'A', scenarioCodes: ['gone'] }], library).rule).toBe('undecided');
  });
});
