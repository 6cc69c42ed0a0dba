/** The questions of 事故情况 (《道路交通事故处理程序规定》§13), asked in plain words. */
import type { CaseAnswers } from '../../../typings';

export type YesNoKey = Exclude<keyof CaseAnswers, 'vehicleCount'>;

export interface Option {
  label: string;
  /** Radio values are strings: 'true' / 'false', or the vehicle count. */
  value: string;
}

export interface Question {
  key: keyof CaseAnswers;
  title: string;
  hint: string;
  options: Option[];
}

const no = (label: string): Option => ({ label, value: 'false' });
const yes = (label: string): Option => ({ label, value: 'true' });

export const QUESTIONS: readonly Question[] = [
  {
    key: 'vehicleCount',
    title: '事故涉及几辆车（包括您的车）？',
    hint: '',
    options: [
      { label: '1 辆（只有我的车）', value: '1' },
      { label: '2 辆', value: '2' },
      { label: '3 辆', value: '3' },
      { label: '4 辆或更多', value: '4' },
    ],
  },
  {
    key: 'motorVehiclesOnly',
    title: '事故各方都是机动车吗？',
    hint: '机动车指汽车、摩托车等；行人、自行车、电动自行车不算。',
    options: [yes('是，都是机动车'), no('不是，有行人、自行车或电动车')],
  },
  { key: 'anyoneInjured', title: '有没有人受伤？', hint: '哪怕只是轻微受伤也算。', options: [no('没有人受伤'), yes('有人受伤')] },
  { key: 'vehiclesDrivable', title: '事故车辆还能正常开动吗？', hint: '', options: [yes('都能开动'), no('有车开不了')] },
  { key: 'factsDisputed', title: '各方对事故经过有争议吗？', hint: '例如对谁变道、谁追尾说法不一致。', options: [no('没有争议'), yes('有争议')] },
  {
    key: 'unlicensedDriving',
    title: '有没有司机无证驾驶？',
    hint: '没有驾驶证，或驾驶证被吊销、暂扣、过期，或准驾车型不符。',
    options: [no('没有'), yes('有')],
  },
  { key: 'drinkOrDrugs', title: '有没有司机酒后或吸毒后驾驶？', hint: '', options: [no('没有'), yes('有')] },
  { key: 'anyoneLeftScene', title: '有没有当事人已经离开现场？', hint: '', options: [no('没有，都在现场'), yes('有人离开了')] },
];

export type AnswerValues = Record<keyof CaseAnswers, string>;

export const NO_ANSWERS: AnswerValues = {
  vehicleCount: '',
  motorVehiclesOnly: '',
  anyoneInjured: '',
  vehiclesDrivable: '',
  factsDisputed: '',
  unlicensedDriving: '',
  drinkOrDrugs: '',
  anyoneLeftScene: '',
};

/** The radio values as the API's answers; null while any is unanswered. */
export function toAnswers(values: AnswerValues): CaseAnswers | null {
  if (Object.values(values).some((v) => v === '')) return null;
  const bool = (key: YesNoKey): boolean => values[key] === 'true';
  return {
    vehicleCount: Number(values.vehicleCount),
    motorVehiclesOnly: bool('motorVehiclesOnly'),
    anyoneInjured: bool('anyoneInjured'),
    vehiclesDrivable: bool('vehiclesDrivable'),
    factsDisputed: bool('factsDisputed'),
    unlicensedDriving: bool('unlicensedDriving'),
    drinkOrDrugs: bool('drinkOrDrugs'),
    anyoneLeftScene: bool('anyoneLeftScene'),
  };
}

export function fromAnswers(answers: CaseAnswers): AnswerValues {
  return {
    vehicleCount: String(Math.min(Math.max(answers.vehicleCount, 1), 4)),
    motorVehiclesOnly: String(answers.motorVehiclesOnly),
    anyoneInjured: String(answers.anyoneInjured),
    vehiclesDrivable: String(answers.vehiclesDrivable),
    factsDisputed: String(answers.factsDisputed),
    unlicensedDriving: String(answers.unlicensedDriving),
    drinkOrDrugs: String(answers.drinkOrDrugs),
    anyoneLeftScene: String(answers.anyoneLeftScene),
  };
}
