import type { Alternative, CaseAnswers, RuleVerdict } from '../../../typings/api/eligibility';

/**
 * Rule: the accident itself qualifies (《道路交通事故处理程序规定》§13 and the notice): 2–3 motor
 * vehicles only, property damage only, nobody hurt, every vehicle can move, nobody disputes the facts,
 * no unlicensed driving, no drink or drugs, nobody has left the scene. Each answer is checked on its
 * own, so the driver hears every reason at once.
 */
export type { CaseAnswers };

interface CaseRule {
  code: string;
  failed: (a: CaseAnswers) => boolean;
  reason: string;
  alternatives: Alternative[];
}

const POLICE: Alternative[] = ['call_122', 'officer_on_scene'];

export const CASE_RULES: readonly CaseRule[] = [
  { code: 'TOO_FEW_VEHICLES', failed: (a) => a.vehicleCount < 2, reason: '单车事故不适用视频快处，可自行处理或拨打 122', alternatives: ['call_122', 'self_settlement'] },
  { code: 'TOO_MANY_VEHICLES', failed: (a) => a.vehicleCount > 3, reason: '三车以上的事故不适用视频快处，请拨打 122，交警将到现场处理', alternatives: POLICE },
  { code: 'NOT_MOTOR_VEHICLES', failed: (a) => !a.motorVehiclesOnly, reason: '只有机动车之间的事故可以视频快处；涉及行人、非机动车的请拨打 122', alternatives: POLICE },
  { code: 'INJURY', failed: (a) => a.anyoneInjured, reason: '有人受伤：请立即拨打 120 和 122，保护现场，不要挪车', alternatives: POLICE },
  { code: 'NOT_DRIVABLE', failed: (a) => !a.vehiclesDrivable, reason: '车辆不能移动的事故不适用视频快处，请拨打 122', alternatives: POLICE },
  { code: 'FACTS_DISPUTED', failed: (a) => a.factsDisputed, reason: '各方对事实有争议的，不适用视频快处，请拨打 122', alternatives: POLICE },
  { code: 'UNLICENSED', failed: (a) => a.unlicensedDriving, reason: '有无证驾驶情形的，必须由交警到现场处理，请拨打 122', alternatives: POLICE },
  { code: 'DRINK_OR_DRUGS', failed: (a) => a.drinkOrDrugs, reason: '有酒驾、毒驾嫌疑的，必须由交警到现场处理，请拨打 122', alternatives: POLICE },
  { code: 'LEFT_SCENE', failed: (a) => a.anyoneLeftScene, reason: '有当事人已驶离现场的，请拨打 122', alternatives: POLICE },
];

/** The failing rules, or an empty list when the accident qualifies. */
export function checkCaseAnswers(answers: CaseAnswers): RuleVerdict[] {
  return CASE_RULES.filter((rule) => rule.failed(answers)).map((rule) => ({ ok: false, code: rule.code, reason: rule.reason, alternatives: rule.alternatives }));
}
