/**
 * insurers — 发送给保险公司: the insurers a party may pick (data), and a party's hand-off of the delivered
 * 认定书, the evidence list and their policy data to their insurer, with recorded consent, through the
 * insurer gateway (retries idempotent at the insurer); its status and claim number for 网办进度.
 */
export { handoffSummaries, handoffsOfDriver } from './handoff.service';
export { onHandoffSettled } from './handoff-listeners';
export type { InsurerServices } from './handoff.service';
export { insurerRoutes } from './insurer.routes';
