import { type CaseSnapshot, isOnCall } from '../cases';

/** What the dispatcher must have before ordering the parties to leave. */
const REQUIRED_INFO: { field: 'driverName' | 'licenceNo' | 'plateType' | 'insurer' | 'policyNo' | 'phone'; name: string }[] = [
  { field: 'driverName', name: '驾驶人姓名' },
  { field: 'licenceNo', name: '驾驶证号' },
  { field: 'plateType', name: '号牌种类' },
  { field: 'insurer', name: '保险公司' },
  { field: 'policyNo', name: '交强险保单号' },
  { field: 'phone', name: '联系电话' },
];
const CHECK_NAMES = { licence: '驾驶证', vehicle: '车辆', insurance: '交强险' } as const;

/**
 * Every reason the case cannot be released yet, in Chinese; empty when it can. Release under this
 * procedure needs: the information of every party, a passed licence/vehicle/交强险 check of every
 * party (the latest result of each counts), every requested shot arrived, and at least one piece of
 * evidence fixed.
 */
export function releaseBlockers(c: CaseSnapshot): string[] {
  const blockers: string[] = [];
  if (!isOnCall(c.state)) return ['案件不在通话处理中'];
  if (c.parties.length < 2) blockers.push('至少需要两方当事人');
  for (const party of c.parties) {
    const missing = REQUIRED_INFO.filter(({ field }) => !party.info?.[field]).map(({ name }) => name);
    if (missing.length > 0) blockers.push(`${party.label} 车缺少：${missing.join('、')}`);
    for (const kind of ['licence', 'vehicle', 'insurance'] as const) {
      const latest = [...(c.checks ?? [])].reverse().find((r) => r.party === party.label && r.kind === kind);
      if (!latest) blockers.push(`${party.label} 车${CHECK_NAMES[kind]}未核查`);
      else if (!latest.ok) blockers.push(`${party.label} 车${CHECK_NAMES[kind]}核查未通过：${latest.detail}`);
    }
  }
  const waiting = (c.shotRequests ?? []).filter((s) => !s.evidenceId);
  if (waiting.length > 0) blockers.push(`还有 ${waiting.length} 张照片未上传`);
  if ((c.evidence ?? []).length === 0) blockers.push('尚未固定任何证据');
  return blockers;
}
