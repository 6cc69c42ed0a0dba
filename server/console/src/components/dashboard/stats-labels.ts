import type { RedirectReasonCount, StatisticsOutcomes, StatisticsTable } from '../../../../../typings/api/statistics';
import { formatWaiting } from '../../format';

/** The chief's target for the 5-minute service level (and the usual 80/60 for answering). */
export const SERVICE_LEVEL_TARGET = 0.8;

export const OUTCOME_LABELS: Record<keyof StatisticsOutcomes, string> = {
  released: '已放行',
  redirected: '转其他方式处理',
  refused: '报案时不符合条件',
  cancelled: '报案人取消',
  abandoned: '超时未接 / 通话中断',
  open: '处理中',
};
export const OUTCOME_ORDER: (keyof StatisticsOutcomes)[] = ['released', 'redirected', 'refused', 'cancelled', 'abandoned', 'open'];

/** A redirect reason in words: the server's label (the dispatcher's text, or what a rule's code means). */
export function reasonLabel(r: Pick<RedirectReasonCount, 'label'>): string {
  return r.label.trim() || '未填写原因';
}

export const REASON_SOURCE_LABELS: Record<RedirectReasonCount['source'], string> = {
  dispatcher: '接警员转出',
  refused: '报案时拦截',
};

export const WEEKDAY_LABELS = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];

/** "87.5%" of a 0…1 share; "—" when there was nothing to divide by. */
export function percent(share: number | null, digits = 1): string {
  return share === null ? '—' : `${(share * 100).toFixed(digits)}%`;
}

/** "1 分 05 秒"; "—" for no samples. */
export function duration(seconds: number | null): string {
  return seconds === null ? '—' : formatWaiting(seconds);
}

/** "1,234" */
export function count(n: number): string {
  return n.toLocaleString('zh-CN');
}

/** "0–30 秒", "9分30秒–10分", "≥ 10 分": a histogram bin's edges. */
export function binLabel(fromSeconds: number, toSeconds: number | null): string {
  const short = (s: number) => (s < 60 ? `${s}秒` : s % 60 === 0 ? `${s / 60}分` : `${Math.floor(s / 60)}分${s % 60}秒`);
  return toSeconds === null ? `≥${short(fromSeconds)}` : `${fromSeconds === 0 ? '0' : short(fromSeconds)}–${short(toSeconds)}`;
}

/** Level of a service-level share against the target: at or above it, within 15 points, or below. */
export function levelOf(share: number | null, target = SERVICE_LEVEL_TARGET): 'good' | 'warn' | 'bad' | 'none' {
  if (share === null) return 'none';
  if (share >= target) return 'good';
  return share >= target - 0.15 ? 'warn' : 'bad';
}

/** File names the export falls back to when the server names none. */
export const TABLE_TITLES: Record<StatisticsTable, string> = {
  'per-day': '每日',
  'per-hour': '按小时',
  'per-weekday': '按星期',
  'per-brigade': '各大队',
  'per-district': '各辖区',
  outcomes: '办理结果',
  'redirect-reasons': '转其他方式原因',
  'service-level-by-week': '每周服务水平',
  'wait-histogram': '接听等待分布',
  'handling-histogram': '处置时长分布',
  'arrivals-vs-duty': '报案与在岗',
  reviews: '复核',
  'insurer-handoffs': '保险推送',
};

/** A statistics table's column: its cell already in words. */
export interface StatsColumn<R> {
  key: string;
  title: string;
  value: (row: R) => string;
  align?: 'left' | 'right' | 'center';
  width?: number;
}
