import type { CaseState } from '../../../typings/api/cases';
import { OPEN_STATES } from './lifecycle';
import { OpenCase } from './open-case.model';
import { waitedSeconds } from './queue-order';

export interface QueueFigures {
  /** Cases waiting for a dispatcher. */
  length: number;
  /** How long the longest-waiting of them has waited (0 for an empty queue). */
  oldestWaitSeconds: number;
}

export interface OpenCaseFigures {
  /** Every open state, 0 included (an alert must see 0, not a missing series). */
  byState: Record<string, number>;
  /** Per brigade code ('' for a case without a brigade), only brigades with open cases. */
  queues: Map<string, QueueFigures>;
}

/**
 * How many cases are open in each state and how each brigade's queue stands, for /metrics. One read
 * of the small open_cases projection (only the fields it needs), not of `cases`.
 */
export async function openCaseFigures(now: Date): Promise<OpenCaseFigures> {
  const rows = await OpenCase.find({}, { state: 1, brigadeCode: 1, queuedAt: 1, reportedAt: 1 }).lean<
    { _id: unknown; state: CaseState; brigadeCode?: string | null; queuedAt?: Date | null; reportedAt: Date }[]
  >();
  const byState: Record<string, number> = Object.fromEntries(OPEN_STATES.map((s) => [s, 0]));
  const queues = new Map<string, QueueFigures>();
  for (const row of rows) {
    byState[row.state] = (byState[row.state] ?? 0) + 1;
    if (row.state !== 'queued') continue;
    const queue = queues.get(row.brigadeCode ?? '') ?? { length: 0, oldestWaitSeconds: 0 };
    queue.length++;
    queue.oldestWaitSeconds = Math.max(queue.oldestWaitSeconds, waitedSeconds(row, now));
    queues.set(row.brigadeCode ?? '', queue);
  }
  return { byState, queues };
}
