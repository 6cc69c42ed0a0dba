import type { CaseState } from '../../../../../typings/api/cases';
import type { RoadClass } from '../../../../../typings/api/roads';

/** The road classes of the layer as ops read them. */
export const ROAD_CLASS_LABELS: Record<RoadClass, string> = {
  expressway: '高速公路',
  urban_expressway: '城市快速路',
  excluded_road: '排除道路',
};

/** The map's colours, shared by the layers and the legend so the two cannot disagree. */
export const MAP_COLORS = {
  district: '#3d5a80',
  road: '#d54941',
  buffer: '#f6685d',
  probe: '#7b2cbf',
} as const;

/** Case points by where the case ended up: taken (blue/green), refused (orange), dropped (grey). */
export type CaseGroup = 'waiting' | 'handled' | 'refused' | 'dropped';
export const CASE_GROUPS: CaseGroup[] = ['waiting', 'handled', 'refused', 'dropped'];
export const CASE_GROUP_LABELS: Record<CaseGroup, string> = {
  waiting: '排队或处理中',
  handled: '已处理',
  refused: '转其他方式（不符合条件）',
  dropped: '取消或中断',
};
export const CASE_GROUP_COLORS: Record<CaseGroup, string> = {
  waiting: '#0052d9',
  handled: '#2ba471',
  refused: '#e37318',
  dropped: '#8b8b8b',
};

export function caseGroup(state: CaseState): CaseGroup {
  if (state === 'redirected') return 'refused';
  if (state === 'cancelled' || state === 'abandoned') return 'dropped';
  if (state === 'draft' || state === 'queued' || state === 'in_call' || state === 'collecting') return 'waiting';
  return 'handled';
}
