/** 网办进度's answers as the server gives them: matters, their decisions, insurers, hand-offs. */
import type { InsurerHandoffView, InsurersResponse, MatterDecision, MatterSummary } from '../../typings';

/** Delivered 2026-11-30 10:00 Beijing time; the 复核 window ends 2026-12-03 24:00 (16:00Z). */
export const DEADLINE = '2026-12-03T16:00:00.000Z';

export function decision(overrides: Partial<MatterDecision> = {}, review: Partial<MatterDecision['review']> = {}): MatterDecision {
  return {
    certificateNumber: 'PJ2026000123',
    issuedAt: '2026-11-30T01:55:00.000Z',
    deliveredAt: '2026-11-30T02:00:00.000Z',
    verifyUrl: 'http://127.0.0.1:3000/verify/PJ2026000123',
    parties: [
      { label: 'B', plate: '粤J22222', liability: 'minor', words: '次要责任', basis: '变更车道时未让正常行驶的车辆先行', damages: 'insurance', mine: true },
      { label: 'A', plate: '粤J11111', liability: 'main', words: '主要责任', basis: '未保持安全车速', damages: 'insurance', mine: false },
    ],
    review: { deadline: DEADLINE, open: true, requested: false, status: null, appliedByMe: false, ...review },
    handoff: null,
    ...overrides,
  };
}

export function matter(overrides: Partial<MatterSummary> = {}): MatterSummary {
  return {
    caseId: 'case_1',
    caseNo: 'A1B2C3D4',
    state: 'delivered',
    reportedAt: '2026-11-30T00:31:00.000Z',
    address: '江门市蓬江区建设三路',
    me: { label: 'B', plate: '粤J22222' },
    otherPlates: ['粤J11111'],
    steps: [
      { kind: 'reported', at: '2026-11-30T00:31:00.000Z' },
      { kind: 'answered', at: '2026-11-30T00:33:00.000Z' },
      { kind: 'released', at: '2026-11-30T00:45:00.000Z' },
      { kind: 'decided', at: '2026-11-30T01:55:00.000Z' },
      { kind: 'delivered', at: '2026-11-30T02:00:00.000Z' },
    ],
    decision: decision(),
    ...overrides,
  };
}

/** Still waiting for the officer: released, no decision. */
export function releasedMatter(overrides: Partial<MatterSummary> = {}): MatterSummary {
  return matter({
    caseId: 'case_2',
    caseNo: 'E5F6G7H8',
    state: 'released',
    reportedAt: '2026-12-01T23:10:00.000Z',
    steps: [
      { kind: 'reported', at: '2026-12-01T23:10:00.000Z' },
      { kind: 'answered', at: '2026-12-01T23:12:00.000Z' },
      { kind: 'released', at: '2026-12-01T23:20:00.000Z' },
    ],
    decision: null,
    ...overrides,
  });
}

export function insurers(): InsurersResponse {
  return {
    items: [
      { code: 'PICC', name: '中国人保' },
      { code: 'CPIC', name: '太平洋保险' },
      { code: 'PINGAN', name: '平安保险' },
    ],
  };
}

export function handoff(overrides: Partial<InsurerHandoffView> = {}): InsurerHandoffView {
  return {
    insurerCode: 'PINGAN',
    insurerName: '平安保险',
    status: 'accepted',
    claimNo: 'PA-2026-778899',
    consentAt: '2026-11-30T03:00:00.000Z',
    sentAt: '2026-11-30T03:00:01.000Z',
    error: null,
    ...overrides,
  };
}
