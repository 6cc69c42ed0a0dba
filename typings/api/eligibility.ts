/** Other ways to handle an accident when this service cannot take it. */
export type Alternative = 'call_122' | 'photo_quick_handling' | 'self_settlement' | 'officer_on_scene';

/** The answer of one eligibility rule. Every failing rule is reported, not just the first. */
export interface RuleVerdict {
  ok: boolean;
  /** Machine-readable, e.g. `OUTSIDE_HOURS`, `SUSPENDED`, `NOT_YET_OPEN`. */
  code: string;
  /** Plain Chinese for the driver. */
  reason: string;
  alternatives: Alternative[];
  /** When the service opens next (ISO), where that is known. */
  nextOpenAt?: string | null;
}
