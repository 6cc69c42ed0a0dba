import { Gauge, type Registry } from 'prom-client';
import { brigadeNames } from '../brigades';
import { openCaseFigures } from '../cases';
import { onDutyStaff } from '../staff';

/** A case without a brigade (outside every district) is still someone's wait. */
const NO_BRIGADE = 'none';

interface CaseGauges {
  openCases: Gauge<'state'>;
  queueLength: Gauge<'brigade'>;
  queueOldestWait: Gauge<'brigade'>;
  onDuty: Gauge<'brigade' | 'role'>;
}

// One set per registry (an app), made on its first scrape.
const gaugesOf = new WeakMap<Registry, CaseGauges>();

function gauges(registry: Registry): CaseGauges {
  let found = gaugesOf.get(registry);
  if (!found) {
    const registers = [registry];
    found = {
      openCases: new Gauge({ name: 'qh_open_cases', help: 'Cases still at the scene, by state (read from the database at scrape)', labelNames: ['state'], registers }),
      queueLength: new Gauge({ name: 'qh_queue_length', help: 'Cases waiting for a dispatcher, by brigade (read at scrape)', labelNames: ['brigade'], registers }),
      queueOldestWait: new Gauge({
        name: 'qh_queue_oldest_wait_seconds',
        help: 'How long the longest-waiting case of the brigade has waited, 0 when none waits (read at scrape)',
        labelNames: ['brigade'],
        registers,
      }),
      onDuty: new Gauge({
        name: 'qh_staff_on_duty',
        help: 'Dispatchers and officers whose console showed signs of life within the on-duty window, by brigade and role (read at scrape)',
        labelNames: ['brigade', 'role'],
        registers,
      }),
    };
    gaugesOf.set(registry, found);
  }
  return found;
}

/**
 * Sets the case gauges from the database as it is now. Every open state and every brigade gets a
 * value, 0 included, and nothing else: a brigade's queue that empties reads 0, not its last length.
 * The figures are the database's, so every instance reports the same (aggregate with max, not sum).
 */
export async function refreshCaseGauges(registry: Registry, now: Date, onDutyWindowSeconds: number): Promise<void> {
  const [figures, brigades, present] = await Promise.all([openCaseFigures(now), brigadeNames(), onDutyStaff(null, now, onDutyWindowSeconds)]);
  const { openCases, queueLength, queueOldestWait, onDuty } = gauges(registry);
  openCases.reset();
  for (const [state, count] of Object.entries(figures.byState)) openCases.set({ state }, count);
  queueLength.reset();
  queueOldestWait.reset();
  const codes = new Set([...brigades.map((b) => b.code), ...figures.queues.keys()]);
  for (const code of codes) {
    const queue = figures.queues.get(code);
    const brigade = code || NO_BRIGADE;
    queueLength.set({ brigade }, queue?.length ?? 0);
    queueOldestWait.set({ brigade }, queue?.oldestWaitSeconds ?? 0);
  }
  // Cases waiting and nobody on duty to answer them: the alert needs the zeros.
  onDuty.reset();
  for (const code of new Set([...brigades.map((b) => b.code), ...present.map((p) => p.brigadeCode ?? '')])) {
    for (const role of ['dispatcher', 'officer'] as const) {
      onDuty.set({ brigade: code || NO_BRIGADE, role }, present.filter((p) => (p.brigadeCode ?? '') === code && p.role === role).length);
    }
  }
}
