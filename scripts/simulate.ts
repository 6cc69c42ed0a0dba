/**
 * `npm run simulate`, two ways:
 *
 * - `[-- --per-hour 25 --handling 240 --sigma 0.5 --patience 120 --hours 12]`: one brigade's service day at
 *   a made-up rate, simulated for 1 … N dispatchers beside what Erlang C says, so a staffing choice can be
 *   read off both: the share answered within 60 s, the mean wait, and the calls lost to callers hanging up.
 * - `-- --day YYYY-MM-DD [--brigade JM-PJ] [--dispatchers N | --roster] [--weeks 8] [--handling empirical|lognormal]`:
 *   that day of the city (or of one brigade) at the rates and handling times its cases show over the weeks
 *   before it, hour by hour beside Erlang C (simulate-observed.ts); without --dispatchers or --roster, with
 *   Erlang C's own recommendation. The database: --uri (with --db), else MONGODB_URI (MONGODB_DB), else the
 *   embedded engine on npm start's data (.data/db) — not while npm start runs: give the --uri it prints.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { loadConfig } from '../server/src/config';
import { connectDatabase, disconnectDatabase } from '../server/src/platform/database';
import { answeredWithin, erlangC, simulateDesk } from '../server/src/staffing';
import { REPO_ROOT, startEmbeddedEngine, type EmbeddedEngine } from './lib/embedded-engine';
import { simulateObserved, ZONE, type ObservedRun } from './simulate-observed';

const { values } = parseArgs({
  options: {
    // Made-up rate.
    'per-hour': { type: 'string', default: '25' },
    handling: { type: 'string' },
    sigma: { type: 'string', default: '0.5' },
    patience: { type: 'string' },
    hours: { type: 'string', default: '12' },
    days: { type: 'string' },
    seed: { type: 'string', default: '1' },
    // Observed.
    day: { type: 'string' },
    brigade: { type: 'string' },
    dispatchers: { type: 'string' },
    roster: { type: 'boolean', default: false },
    weeks: { type: 'string' },
    target: { type: 'string' },
    within: { type: 'string' },
    uri: { type: 'string' },
    db: { type: 'string' },
  },
});

function fail(message: string): never {
  console.error(`simulate: ${message}`);
  process.exit(2);
}

const positive = (name: string, text: string | undefined, fallback: number) => {
  const n = text === undefined ? fallback : Number(text);
  if (!Number.isFinite(n) || n <= 0) fail(`--${name} must be a positive number`);
  return n;
};
const patienceSeconds = values.patience === undefined ? undefined : positive('patience', values.patience, 0);
const seed = Number(values.seed);
if (!Number.isInteger(seed)) fail('--seed must be a whole number');

if (values.day !== undefined || values.brigade !== undefined) void observed();
else madeUp();

function madeUp() {
  const arrivalRate = positive('per-hour', values['per-hour'], 25) / 3600;
  const meanHandlingSeconds = positive('handling', values.handling, 240);
  const sigma = positive('sigma', values.sigma, 0.5);
  const days = positive('days', values.days, 30);
  const seconds = positive('hours', values.hours, 12) * 3600 * days;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const secs = (x: number) => (Number.isFinite(x) ? `${x.toFixed(0)} s` : '∞');
  console.log(`${values['per-hour']} calls/h, handling ${meanHandlingSeconds} s on average (log-normal σ ${sigma})${patienceSeconds ? `, callers hang up after ${patienceSeconds} s` : ''}; ${days} days of ${values.hours} h simulated\n`);
  console.log('dispatchers │ Erlang C: ≤60 s  mean wait │ simulated: ≤60 s  mean wait  lost');
  const least = Math.max(1, Math.ceil(arrivalRate * meanHandlingSeconds));
  for (let agents = least; agents <= least + 3; agents++) {
    const desk = { arrivalRate, meanHandlingSeconds, agents };
    const model = erlangC(desk);
    const sim = simulateDesk({ ...desk, handling: { lognormalSigma: sigma }, patienceSeconds, seconds, seed });
    console.log(
      `${String(agents).padStart(11)} │ ${pct(answeredWithin(desk, 60)).padStart(15)} ${secs(model.meanWaitSeconds).padStart(10)} │ ${pct(sim.answeredWithin(60)).padStart(16)} ${secs(sim.meanWaitSeconds).padStart(10)} ${pct(sim.abandoned / Math.max(1, sim.arrived)).padStart(5)}`,
    );
  }
}

async function observed() {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn' });
  const day = values.day ?? fail('say which day: --day YYYY-MM-DD (Beijing)');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !DateTime.fromISO(day, { zone: ZONE }).isValid) fail(`--day must be a date (YYYY-MM-DD), not "${day}"`);
  if (values.roster && values.dispatchers !== undefined) fail('--dispatchers N or --roster, not both');
  const dispatchers = values.roster ? 'roster' : values.dispatchers === undefined ? 'recommended' : Number(values.dispatchers);
  if (typeof dispatchers === 'number' && (!Number.isInteger(dispatchers) || dispatchers < 1 || dispatchers > 50)) fail('--dispatchers must be a whole number from 1 to 50');
  const handling = values.handling ?? 'empirical';
  if (handling !== 'empirical' && handling !== 'lognormal') fail('--handling is empirical or lognormal here');
  const weeks = positive('weeks', values.weeks, config.STAFFING_WEEKS);
  const target = positive('target', values.target, config.STAFFING_TARGET);
  if (!Number.isInteger(weeks) || weeks > 52) fail('--weeks must be a whole number from 1 to 52');
  if (target >= 1) fail('--target is a share below 1, e.g. 0.8');
  const run: ObservedRun = {
    brigade: values.brigade ?? null,
    day,
    dispatchers,
    weeks,
    target,
    withinSeconds: values.within === undefined ? config.STAFFING_WITHIN_SECONDS : positive('within', values.within, 60),
    handling,
    days: positive('days', values.days, 200),
    patienceSeconds,
    seed,
  };

  let engine: EmbeddedEngine | null = null;
  let uri = values.uri ?? process.env.MONGODB_URI;
  const db = values.db ?? process.env.MONGODB_DB ?? 'quickhandling';
  try {
    if (!uri) {
      const dataDir = join(REPO_ROOT, '.data', 'db');
      console.log(`database: starting the embedded engine on npm start's data (${dataDir})…`);
      engine = await startEmbeddedEngine({ dataDir }).catch((err: Error) =>
        fail(`the embedded engine did not start (${err.message.split('\n')[0]}); if npm start is running, pass the --uri it prints`),
      );
      uri = engine.uri;
    }
    await connectDatabase(uri, db, { serverSelectionTimeoutMS: 10_000 });
    await simulateObserved(run);
  } catch (err) {
    console.error(`simulate: ${(err as Error).message}`);
    process.exitCode = 1;
  } finally {
    await disconnectDatabase();
    await engine?.stop();
  }
}
