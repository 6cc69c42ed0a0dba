import { checkCaseAnswers, type CaseAnswers } from '../../src/eligibility/case-rules';
import { QUALIFYING_ANSWERS } from '../cases/fixtures';

const qualifying: CaseAnswers = QUALIFYING_ANSWERS;

describe('eligibility/case-rules', () => {
  it('lets a two- or three-car, property-only, undisputed accident through', () => {
    expect(checkCaseAnswers(qualifying)).toEqual([]);
    expect(checkCaseAnswers({ ...qualifying, vehicleCount: 3 })).toEqual([]);
  });

  it.each([
    ['TOO_FEW_VEHICLES', { vehicleCount: 1 }],
    ['TOO_MANY_VEHICLES', { vehicleCount: 4 }],
    ['NOT_MOTOR_VEHICLES', { motorVehiclesOnly: false }],
    ['INJURY', { anyoneInjured: true }],
    ['NOT_DRIVABLE', { vehiclesDrivable: false }],
    ['FACTS_DISPUTED', { factsDisputed: true }],
    ['UNLICENSED', { unlicensedDriving: true }],
    ['DRINK_OR_DRUGS', { drinkOrDrugs: true }],
    ['LEFT_SCENE', { anyoneLeftScene: true }],
  ])('refuses %s with a reason and the other way to handle it', (code, change) => {
    const verdicts = checkCaseAnswers({ ...qualifying, ...change });
    expect(verdicts).toEqual([{ ok: false, code, reason: expect.stringMatching(/122|自行/), alternatives: expect.arrayContaining(['call_122']) }]);
  });

  it('reports every failing answer at once, not just the first', () => {
    const codes = checkCaseAnswers({ ...qualifying, anyoneInjured: true, vehiclesDrivable: false, drinkOrDrugs: true }).map((v) => v.code);
    expect(codes).toEqual(['INJURY', 'NOT_DRIVABLE', 'DRINK_OR_DRUGS']);
  });

  it('tells an injured party to call 120 first', () => {
    expect(checkCaseAnswers({ ...qualifying, anyoneInjured: true })[0]!.reason).toContain('120');
  });
});
