/** What a driver is told about their case in each state (waiting page, home's 继续处理), and how the wait is phrased. */
import type { CaseState, WaitEstimate } from '../../typings';

export const STATE_TEXT: Record<CaseState, { title: string; text: string }> = {
  draft: { title: '正在提交报案', text: '请稍候…' },
  queued: { title: '正在等待交警接听', text: '请留在安全的地方，保持手机畅通，不要离开本页面。' },
  in_call: { title: '交警已接听', text: '请保持手机畅通，按交警的指引操作。' },
  collecting: { title: '交警正在采集信息', text: '请按交警的指引拍摄现场和车辆，出示证件。' },
  released: { title: '信息采集完成', text: '请立即撤离现场，避免交通拥堵。事故认定书会发送到小程序。' },
  determined: { title: '事故责任已认定', text: '可在「我的 → 网办进度」查看事故认定书。' },
  delivered: { title: '事故认定书已送达', text: '可在「我的 → 网办进度」查看。如有异议，可在三日内申请复核。' },
  review_requested: { title: '复核申请已提交', text: '可在「我的 → 网办进度」查看进度。' },
  reviewed: { title: '复核已完成', text: '可在「我的 → 网办进度」查看结果。' },
  closed: { title: '事故已处理完毕', text: '可在「我的 → 网办进度」查看。' },
  redirected: { title: '本起事故不能通过视频快处', text: '请按下面的方式处理。' },
  cancelled: { title: '报案已取消', text: '如需处理事故，请重新报案或拨打 122。' },
  abandoned: { title: '报案已中断', text: '长时间没有接通，报案已中断。您可以拨打 122 处理。' },
};

export function positionText(wait: WaitEstimate): string {
  return wait.position <= 1 ? '下一个就是您' : `前面还有 ${wait.position - 1} 起事故`;
}

export function estimateText(wait: WaitEstimate): string {
  if (wait.estimatedSeconds === null) return '暂无值班民警，暂时无法估计等待时间';
  if (wait.estimatedSeconds < 60) return '预计 1 分钟内接听';
  return `预计等待约 ${Math.ceil(wait.estimatedSeconds / 60)} 分钟`;
}
