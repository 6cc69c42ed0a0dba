/**
 * The fixed text of the home page, from the Jiangmen traffic police notice (see
 * /shared/seed/notice.zh.txt): the four steps and the usage reminders (使用提醒).
 */
import type { VerificationStatus } from '../../../typings';

export interface Step {
  title: string;
  content: string;
}

export const STEPS: readonly Step[] = [
  {
    title: '视频报警',
    content: '做好现场安全防护后，由事故任一方点击「事故视频快处」。系统自动定位事故地点，连接事故所在辖区的公安交警部门。',
  },
  {
    title: '视频接入',
    content: '接通后，接警人员远程引导您进行信息采集和证据固定，并在后台核验驾驶人、机动车和交强险信息。不符合视频快处条件的，接警人员会指引其他处理方式。',
  },
  {
    title: '撤离现场',
    content: '证据固定和信息采集完成后，请立即撤离现场，避免交通拥堵。',
  },
  {
    title: '责任认定',
    content: '民警根据视频采集的证据认定事故责任。您可在【网办进度】查看电子版事故认定书；如有异议，可自认定书送达之日起三日内提出书面复核申请。',
  },
];

export interface Reminder {
  title: string;
  text: string;
}

export const REMINDERS: readonly Reminder[] = [
  { title: '适用时间', text: '每天 7:30 至 19:30' },
  { title: '适用地点', text: '江门全市城市道路（高速公路、江门大道除外）' },
  { title: '适用车辆', text: '投保交强险的机动车，机动车之间仅造成财产损失的事故' },
  {
    title: '适用情形',
    text: '三车及以下，人无伤、车能动，各方对事实无异议；当事人无无证驾驶、酒驾、逃逸等违法行为，车辆交强险有效且状态正常',
  },
  {
    title: '先做好现场防护',
    text: '报警前务必开启危险报警闪光灯，在事故车后 50～100 米处摆放三角警示牌；快处完成后立即撤离，避免二次事故',
  },
];

/** What a driver who may not start yet is told, per verification status. */
export const VERIFICATION_NEXT_STEP: Record<Exclude<VerificationStatus, 'verified'>, { title: string; hint: string; action: string }> = {
  unverified: {
    title: '请先完成实人认证',
    hint: '使用事故视频快处前，需要核验您的身份证信息并进行人脸识别，只需认证一次。',
    action: '去实人认证',
  },
  rejected: {
    title: '实人认证未通过',
    hint: '请核对身份证信息后重新认证。',
    action: '重新认证',
  },
  pending_review: {
    title: '实人认证审核中',
    hint: '您提交的身份证照片正在人工审核，审核通过后即可使用。',
    action: '',
  },
};
