import type { FaceFailureKind } from '../../../typings/api/verification';

/**
 * What WeChat's verify_ret means for the driver: a failure kind and the next step in plain Chinese.
 * Codes from the queryVerifyInfo documentation (10000 pass; 1000x server-side; 900xx on the phone).
 */
export interface FaceOutcome {
  kind: FaceFailureKind;
  message: string;
  /** Counts toward FACE_MAX_FAILURES (a cancel or a missing permission does not). */
  countsAsFailure: boolean;
  /** The device cannot do a face check at all: offer the other ways at once. */
  offerFallbacksNow?: boolean;
}

export const FACE_PASS = 10000;

const OUTCOMES: Array<[(ret: number) => boolean, FaceOutcome]> = [
  [(r) => r === 10001, { kind: 'parameter_mismatch', message: '核验信息不一致，请重新开始人脸核验', countsAsFailure: true }],
  [(r) => r === 10002, { kind: 'face_not_detected', message: '没有识别到清晰的人脸：请到光线充足处，摘下帽子和口罩后重试', countsAsFailure: true }],
  [(r) => r === 10003, { kind: 'id_mismatch', message: '姓名与身份证号不一致，请核对后重新填写', countsAsFailure: true }],
  [(r) => r === 10004, { kind: 'face_mismatch', message: '人脸与身份证照片比对不一致；如多次失败，可改用其他认证方式', countsAsFailure: true }],
  [(r) => r >= 90002 && r <= 90006, { kind: 'cancelled', message: '您已取消人脸核验，可随时重新开始', countsAsFailure: false }],
  [(r) => r >= 90008 && r <= 90010, { kind: 'permission_denied', message: '请在微信设置中允许使用相机和麦克风后重试', countsAsFailure: false }],
  [(r) => r === 90017 || r === 90107, { kind: 'timeout', message: '识别超时：请保持面部在框内，按提示完成动作', countsAsFailure: true }],
  [(r) => r === 90007 || r === 90012, { kind: 'network', message: '网络不稳定，请到信号好的地方重试', countsAsFailure: false }],
  [(r) => r === 90001 || r === 90109, { kind: 'device_unsupported', message: '当前手机不支持人脸核验，请改用其他认证方式', countsAsFailure: true, offerFallbacksNow: true }],
];

export function faceOutcome(verifyRet: number): FaceOutcome {
  return OUTCOMES.find(([matches]) => matches(verifyRet))?.[1] ?? { kind: 'other', message: '人脸核验没有完成，请重试', countsAsFailure: true };
}
