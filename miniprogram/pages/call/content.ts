/** The fixed text of the call page: the recording notice, the release reminders, labels. */
import type { ShotKind } from '../../../typings/api/call';

export const CONSENT = {
  title: '录音录像告知',
  paragraphs: [
    '为依法、公正处理本起事故，接通后的视频通话将全程录音录像。录音录像和您按交警要求拍摄上传的照片，将依照《道路交通事故处理程序规定》作为事故处理的证据保存和使用。',
    '点击「同意并开始视频」后，系统会记录您同意的时间，然后打开摄像头和麦克风。',
    '通话时请站在护栏外或路边安全的地方，不要在行车道内走动。',
  ],
  declined: '不同意录音录像，就不能通过视频快处处理本起事故。您可以拨打 122，由交警安排处理。',
} as const;

/** The phones' release screen, under the server's own notice. */
export const RELEASE_REMINDERS: readonly string[] = [
  '请立即把车辆移到不妨碍交通的地方（路边停车位、停车场等），不要在事故现场停留或争执。',
  '驶离时注意观察来往车辆和行人，开启转向灯，确认安全后再起步；收回三角警示牌时注意身后来车。',
  '事故认定书将发送到本手机，可在小程序「我的 → 网办进度」查看。',
];

export const RELEASE_TITLE = '请立即撤离';

/** What each checklist shot is called on the phone. */
export const SHOT_LABEL: Record<ShotKind, string> = {
  overview_behind: '车辆后方全景',
  overview_ahead: '车辆前方全景',
  impact_point: '碰撞部位',
  plate: '车牌',
  skid_marks_debris: '刹车痕迹和散落物',
  driving_licence: '驾驶证',
  vehicle_licence: '行驶证',
  insurance_policy: '交强险保单',
  other: '其他照片',
};

/** GA 24.7 号牌种类 a driver of a small accident is likely to have; the code is what is stored. */
export const PLATE_TYPES: readonly { code: string; name: string }[] = [
  { code: '02', name: '02 小型汽车（蓝牌）' },
  { code: '52', name: '52 小型新能源汽车（绿牌）' },
  { code: '01', name: '01 大型汽车（黄牌）' },
  { code: '51', name: '51 大型新能源汽车' },
  { code: '07', name: '07 普通摩托车' },
  { code: '15', name: '15 挂车' },
  { code: '16', name: '16 教练汽车' },
];

/** The information form, in order. `type` is the keyboard. */
export const INFO_FIELDS: readonly { name: InfoField; label: string; placeholder: string; type: 'text' | 'number' | 'idcard'; maxlength: number }[] = [
  { name: 'driverName', label: '驾驶人姓名', placeholder: '与驾驶证一致', type: 'text', maxlength: 30 },
  { name: 'licenceNo', label: '驾驶证号', placeholder: '一般为身份证号', type: 'idcard', maxlength: 18 },
  { name: 'vehicleType', label: '车辆类型', placeholder: '如 小型轿车', type: 'text', maxlength: 20 },
  { name: 'insurer', label: '保险公司', placeholder: '交强险承保公司', type: 'text', maxlength: 40 },
  { name: 'policyNo', label: '保单号', placeholder: '交强险保单号', type: 'text', maxlength: 40 },
  { name: 'phone', label: '手机号', placeholder: '11 位手机号', type: 'number', maxlength: 11 },
];

export type InfoField = 'driverName' | 'licenceNo' | 'plateType' | 'vehicleType' | 'insurer' | 'policyNo' | 'phone';
