import { Counter, Histogram } from 'prom-client';
import type { CaseHappened, CaseListeners } from '../cases';
import type { AppMetrics } from '../platform/metrics';

const brigadeOf = (happened: CaseHappened) => happened.case.brigadeCode || 'none';

/**
 * The 5-minute service level as it happens: each answered call that ends (released, redirected, or
 * gone silent) counts in `qh_calls_ended_total`, and a release's answer → release time goes in the
 * histogram, whose `le="300"` bucket is "within 5 minutes". Their ratio over a window is the
 * statistics page's service level (released within 300 s ÷ answered calls that ended).
 */
export function listenForMetrics(services: { caseListeners: CaseListeners; metrics: AppMetrics }): void {
  const registers = [services.metrics.registry];
  const ended = new Counter({
    name: 'qh_calls_ended_total',
    help: 'Answered calls that ended, by brigade and outcome (released, redirected, abandoned)',
    labelNames: ['brigade', 'outcome'],
    registers,
  });
  const handling = new Histogram({
    name: 'qh_case_handling_seconds',
    help: 'Answer to release of released cases, by brigade (the 5-minute target is le="300")',
    labelNames: ['brigade'],
    buckets: [60, 120, 180, 240, 300, 420, 600, 900, 1800],
    registers,
  });
  services.caseListeners.on('release', 'metrics:release', async (happened) => {
    const brigade = brigadeOf(happened);
    ended.inc({ brigade, outcome: 'released' });
    if (typeof happened.case.handlingSeconds === 'number') handling.observe({ brigade }, happened.case.handlingSeconds);
  });
  services.caseListeners.on('redirect', 'metrics:redirect', async (happened) => {
    ended.inc({ brigade: brigadeOf(happened), outcome: 'redirected' });
  });
  // A silent call times out with its answer time still set; a case nobody answered has none (cleared on requeue).
  services.caseListeners.on('time_out', 'metrics:time-out', async (happened) => {
    if (happened.case.answeredAt) ended.inc({ brigade: brigadeOf(happened), outcome: 'abandoned' });
  });
}
