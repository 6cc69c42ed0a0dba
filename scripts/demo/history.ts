/**
 * `npm run demo:history [-- --months 12 --seed 1 --until YYYY-MM-DD --uri mongodb://… --db quickhandling]`:
 * fills the database with a realistic past of the demo city (history-model.ts) so the statistics
 * pages, the staffing figures and the benchmark have something real to chew on. Replaces an earlier
 * load. The database: --uri, else MONGODB_URI (npm start prints its address; set DEMO_HISTORY_MONTHS
 * there to load a history as it starts).
 */
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { ensureDefaultBrigades } from '../../server/src/brigades/default-brigades';
import { connectDatabase, disconnectDatabase } from '../../server/src/platform/database';
import { clearHistory, loadHistory } from './history-load';
import { Case } from '../../server/src/cases/case.model';
import { generateHistory, HISTORY_KEY_PREFIX, ZONE } from './history-model';

export interface HistoryRun {
  months: number;
  seed: number;
  until: string;
}

/** Generates and loads a history on the current connection; returns what it wrote. */
export async function fillHistory(run: HistoryRun, say: (line: string) => void = console.log) {
  const started = Date.now();
  await ensureDefaultBrigades();
  const history = generateHistory({ months: run.months, seed: run.seed, until: run.until });
  say(`generated ${history.cases.length} cases (${history.events.length} events, ${history.handoffs.length} insurer hand-offs, ${history.dutyHours.length} duty hours) for ${history.from} … ${history.until} in ${Date.now() - started} ms`);
  await clearHistory(say);
  await loadHistory(history, say);
  say(`history loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return history;
}

/**
 * For `npm start` (DEMO_HISTORY_MONTHS): loads N months up to yesterday unless a history reaching
 * yesterday is already there (a restart the same day keeps it).
 */
export async function loadDemoHistory(months: number, say: (line: string) => void): Promise<void> {
  if (!Number.isInteger(months) || months > 36) throw new Error('DEMO_HISTORY_MONTHS must be a whole number of months, at most 36');
  const until = yesterday();
  const latest = await Case.findOne({ idempotencyKey: { $regex: `^${HISTORY_KEY_PREFIX}` } }, { reportedAt: 1 }).sort({ reportedAt: -1 }).lean();
  if (latest && DateTime.fromJSDate(latest.reportedAt, { zone: ZONE }).toISODate()! >= until) {
    say(`demo history: already loaded up to ${until}`);
    return;
  }
  say(`demo history: ${months} month(s) up to ${until}…`);
  await fillHistory({ months, seed: 1, until }, (line) => !line.startsWith('  ') && say(`demo history: ${line}`));
}

/** Yesterday in Beijing: the last whole day. */
export const yesterday = () => DateTime.now().setZone(ZONE).minus({ days: 1 }).toISODate()!;

async function main() {
  const { values } = parseArgs({
    options: {
      months: { type: 'string', default: '12' },
      seed: { type: 'string', default: '1' },
      until: { type: 'string' },
      uri: { type: 'string' },
      db: { type: 'string' },
    },
  });
  const months = Number(values.months);
  const seed = Number(values.seed);
  const until = values.until ?? yesterday();
  if (!Number.isInteger(months) || months < 1 || months > 36) throw new Error('--months must be a whole number from 1 to 36');
  if (!Number.isInteger(seed)) throw new Error('--seed must be a whole number');
  if (!DateTime.fromISO(until, { zone: ZONE }).isValid || !/^\d{4}-\d{2}-\d{2}$/.test(until)) throw new Error(`--until must be a date (YYYY-MM-DD), not "${until}"`);
  const uri = values.uri ?? process.env.MONGODB_URI;
  if (!uri) throw new Error('say where: --uri mongodb://… or MONGODB_URI (npm start prints the database address)');
  const db = values.db ?? process.env.MONGODB_DB ?? 'quickhandling';
  console.log(`demo history: ${months} month(s) to ${until}, seed ${seed}, into ${uri.replace(/\/\/[^@]*@/, '//…@')} (db "${db}")`);
  await connectDatabase(uri, db, { serverSelectionTimeoutMS: 10_000 });
  try {
    await fillHistory({ months, seed, until });
  } finally {
    await disconnectDatabase();
  }
}

// Run as a script (not when imported by npm start, the bench or tests).
if (process.argv[1] && /history\.ts$/.test(process.argv[1])) {
  main().catch((err: unknown) => {
    console.error(`demo:history failed: ${(err as Error).message}`);
    process.exit(1);
  });
}
