/**
 * Where a driver is in reporting an accident (safety check → location → questions → case), kept in
 * wx storage: each page reads it on opening, so a page re-opened after WeChat killed the app in the
 * background (or after the phone call to 122) carries on instead of starting over. Storage reads
 * are synchronous and cheap; there is no second copy in memory to go stale.
 *
 * Nothing here is a secret: the server holds the case. A finished (or abandoned) report is cleared.
 */
import type { CaseAnswers, CreateCaseRequest, EligibilityResponse, LocationInput } from '../../typings';
import { newIdempotencyKey } from './id';

const FLOW_KEY = 'reportFlow';
const PLATE_KEY = 'reportPlate';

export interface ReportFlow {
  /** From POST /safety-checks; a case needs one that has not expired. */
  safetyCheckId: string | null;
  safetyConfirmedAt: string | null;
  location: LocationInput | null;
  /** The map's name for a pinned spot, to show back to the driver. */
  locationLabel: string;
  answers: CaseAnswers | null;
  /** The last eligibility answer: what the result page explains. */
  eligibility: EligibilityResponse | null;
  /**
   * The Idempotency-Key of the case being created and the body it was made for. A retry of the
   * same body reuses it (one case, however often the network fails); a changed body gets a new one.
   */
  createAttempt: { key: string; fingerprint: string } | null;
}

const EMPTY: ReportFlow = {
  safetyCheckId: null,
  safetyConfirmedAt: null,
  location: null,
  locationLabel: '',
  answers: null,
  eligibility: null,
  createAttempt: null,
};

export function loadFlow(): ReportFlow {
  try {
    const stored: unknown = wx.getStorageSync(FLOW_KEY);
    return typeof stored === 'object' && stored !== null ? { ...EMPTY, ...(stored as Partial<ReportFlow>) } : { ...EMPTY };
  } catch {
    return { ...EMPTY };
  }
}

export function updateFlow(patch: Partial<ReportFlow>): ReportFlow {
  const next = { ...loadFlow(), ...patch };
  wx.setStorageSync(FLOW_KEY, next);
  return next;
}

/** Forget the report (after the case exists, or to start a new one). The plate is kept. */
export function clearFlow(): void {
  wx.removeStorageSync(FLOW_KEY);
}

/** The driver's own plate from their last report, to fill in next time. */
export function rememberedPlate(): string {
  try {
    const plate: unknown = wx.getStorageSync(PLATE_KEY);
    return typeof plate === 'string' ? plate : '';
  } catch {
    return '';
  }
}

export function rememberPlate(plate: string): void {
  wx.setStorageSync(PLATE_KEY, plate);
}

/** The Idempotency-Key for creating this case: the stored one while the body is the same. */
export function createKeyFor(body: CreateCaseRequest): string {
  const fingerprint = JSON.stringify(body);
  const attempt = loadFlow().createAttempt;
  if (attempt && attempt.fingerprint === fingerprint) return attempt.key;
  const key = newIdempotencyKey();
  updateFlow({ createAttempt: { key, fingerprint } });
  return key;
}
