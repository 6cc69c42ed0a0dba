import type { ShotKind } from '../../../typings/api/call';

/** The guided shots, as the phone tells the party what to photograph (道路交通事故现场照相 practice). */
export const SHOT_INSTRUCTIONS: Record<ShotKind, string> = {
  overview_behind: '请站在事故车辆后方 3–5 米处，拍一张能看清所有车辆位置和车道线的全景照',
  overview_ahead: '请站在事故车辆前方 3–5 米处，拍一张能看清所有车辆位置和车道线的全景照',
  impact_point: '请靠近拍摄您车辆的碰撞部位，能看清刮擦、凹陷的位置',
  plate: '请拍摄您车辆的号牌，号牌字符要清晰完整',
  skid_marks_debris: '请拍摄地面的刹车痕迹、散落物（如有）',
  driving_licence: '请拍摄您的驾驶证正页，字迹清晰、无反光',
  vehicle_licence: '请拍摄您车辆的行驶证正页，字迹清晰、无反光',
  insurance_policy: '请拍摄您车辆的交强险保单或电子保单',
  other: '请按交警的要求拍摄',
};

export const SHOT_KINDS = Object.keys(SHOT_INSTRUCTIONS) as ShotKind[];
