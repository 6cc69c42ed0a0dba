/**
 * 7. The statistics page over a year of generated cases (npm run demo:history's generator, seeded):
 *  - the load itself (generate, insert in bulk) and the first build of the rollups from the cases;
 *  - GET /api/v1/admin/statistics through HTTP for a week, 30 days and a year, city-wide and one
 *    brigade, and one CSV export: p50 / p99;
 *  - the alternative it replaced, an aggregation over `cases` (find by a `reportedAt` range, projected)
 *    for the same 30 days, a couple of times (it is slow on the embedded engine; BENCH_STATS_AGGREGATE=0
 *    skips it);
 *  - what keeping the rollups costs a transition: answer / hand back a case, the change and its
 *    listeners settled, with the statistics listener and without, interleaved, as a ratio.
 * Runs in a database of its own (dropped first), so the other sections' cases do not count.
 * Alone: `npx tsx scripts/bench/bench-statistics.ts` (MONGODB_URI set → that server).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import mongoose, { Types } from 'mongoose';
import { createApp } from '../../server/src/app';
import type { AppServices } from '../../server/src/app-services';
import { ensureDefaultBrigades } from '../../server/src/brigades/default-brigades';
import { createCaseListeners, transition } from '../../server/src/cases';
import { Case } from '../../server/src/cases/case.model';
import { newJoinCode } from '../../server/src/cases/join-code';
import { loadConfig } from '../../server/src/config';
import { connectDatabase, disconnectDatabase } from '../../server/src/platform/database';
import { createLogger } from '../../server/src/platform/logger';
import { createServices } from '../../server/src/services';
import { Staff, createStaff } from '../../server/src/staff';
import { listenForStatistics, reconcileStatistics } from '../../server/src/statistics';
import { startFakes } from '../../server/fakes';
import { REPO_ROOT, startEmbeddedEngine } from '../lib/embedded-engine';
import { loadHistory } from '../demo/history-load';
import { generateHistory } from '../demo/history-model';

type Summary = (label: string, samples: number[]) => { p50: number; p99: number };

const ROUNDS = Number(process.env.BENCH_STATS_ROUNDS ?? 15);
const TRANSITIONS = Number(process.env.BENCH_STATS_TRANSITIONS ?? 60);
/** The bench's business clock is 2026-11-25 10:00 Beijing: the history is the year before it. */
const UNTIL = '2026-11-24';

export async function benchStatistics(services: AppServices, summary: Summary): Promise<void> {
  // A database of our own: the earlier sections' synthetic cases would count otherwise.
  await mongoose.connection.dropDatabase();
  await Promise.all(Object.values(mongoose.models).map((model) => model.init()));
  await ensureDefaultBrigades();

  const t0 = performance.now();
  const history = generateHistory({ months: 12, seed: 1, until: UNTIL, now: services.clock() });
  const generated = performance.now() - t0;
  const lines: string[] = [];
  await loadHistory(history, (line) => !line.startsWith('  ') && lines.push(line));
  const loaded = performance.now() - t0 - generated;
  console.log(`\nstatistics over a year of generated history: ${history.cases.length} cases, ${history.events.length} events, ${history.handoffs.length} hand-offs, ${history.dutyHours.length} duty hours`);
  console.log(`  generated in ${(generated / 1000).toFixed(1)} s, inserted in ${(loaded / 1000).toFixed(1)} s (${lines.join('; ')})`);
  const b0 = performance.now();
  const built = await reconcileStatistics();
  console.log(`  rollups built from the cases in ${((performance.now() - b0) / 1000).toFixed(1)} s (${built.checked} rows, ${built.days} brigade-days)`);

  // The page through HTTP, as ops.
  const app = createApp(services);
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await createStaff({ username: 'bench-ops', displayName: '压测运维', role: 'ops', brigadeCode: null, password: 'bench-ops-password-1' }, services.config.PASSWORD_HASH_COST);
  const ops = (await Staff.findOne({ username: 'bench-ops' }).lean())!;
  const cookie = `${services.config.STAFF_COOKIE_NAME}=${services.tokens.signStaffSession(String(ops._id), 'ops', ops.sessionVersion).token}`;
  const get = async (path: string) => {
    const res = await fetch(base + path, { headers: { cookie } });
    const text = await res.text();
    if (!res.ok) throw new Error(`${path} answered ${res.status}: ${text.slice(0, 200)}`);
    return text;
  };
  const queries: [string, string][] = [
    ['page, 7 days, city', 'from=2026-11-18&to=2026-11-24'],
    ['page, 30 days, city', 'from=2026-10-26&to=2026-11-24'],
    ['page, 30 days, one brigade', 'from=2026-10-26&to=2026-11-24&brigade=JM-PJ'],
    ['page, a year, city', 'from=2025-11-25&to=2026-11-24'],
    ['page, a year, one brigade', 'from=2025-11-25&to=2026-11-24&brigade=JM-PJ'],
    ['CSV per-day, 30 days, city', 'from=2026-10-26&to=2026-11-24'],
  ];
  const samples = new Map<string, number[]>(queries.map(([label]) => [label, []]));
  for (let round = 0; round < ROUNDS + 1; round++) {
    // Interleaved, so each query sees the same machine load; the first round warms up.
    for (const [label, query] of queries) {
      const started = performance.now();
      await get(label.startsWith('CSV') ? `/api/v1/admin/statistics/export/per-day.csv?${query}` : `/api/v1/admin/statistics?${query}`);
      if (round > 0) samples.get(label)!.push(performance.now() - started);
    }
  }
  console.log(`\nGET /api/v1/admin/statistics over HTTP, ${ROUNDS} rounds, interleaved:`);
  const page = Object.fromEntries(queries.map(([label]) => [label, summary(label, samples.get(label)!)]));

  if (process.env.BENCH_STATS_AGGREGATE !== '0') {
    const from = new Date('2026-10-26T00:00:00+08:00');
    const to = new Date('2026-11-25T00:00:00+08:00');
    const fields = { state: 1, brigadeCode: 1, districtAdcode: 1, reportedAt: 1, answeredAt: 1, handlingSeconds: 1, failed: 1, 'redirect.reason': 1, deliveredAt: 1, 'review.status': 1 };
    const aggregate: number[] = [];
    for (let i = 0; i < 2; i++) {
      const started = performance.now();
      await Case.find({ reportedAt: { $gte: from, $lt: to } }, fields).lean();
      aggregate.push(performance.now() - started);
    }
    console.log('the alternative: the same 30 days read from `cases` (find by a reportedAt range, projected), 2 runs:');
    const agg = summary('cases by range, 30 days', aggregate);
    console.log(`  ratio cases-by-range : page (30 days, city)   p50 ${(agg.p50 / page['page, 30 days, city']!.p50).toFixed(0)}×`);
  }
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));

  await benchTransitionCost(services, summary);
}

/** A transition and its listeners settled, with the statistics listener and without (interleaved). */
async function benchTransitionCost(services: AppServices, summary: Summary) {
  const withRollup = createCaseListeners(services.logger);
  listenForStatistics({ caseListeners: withRollup });
  const without = createCaseListeners(services.logger);
  // Reported on the history's last day, so each pack rebuild reads a real day of the brigade's rows.
  const at = new Date('2026-11-24T15:00:00+08:00');
  const cases = await Promise.all(
    [0, 1].map(() =>
      Case.create({
        state: 'queued', stateChangedAt: at, reportedAt: at, queuedAt: at, initiatorId: new Types.ObjectId(), idempotencyKey: `bench-${Math.random()}`, brigadeCode: 'JM-PJ',
        districtAdcode: '440703', districtName: '蓬江区', vehicleCount: 2, parties: [], joinCode: newJoinCode(), joinCodeExpiresAt: new Date(at.getTime() + 1800_000),
      }),
    ),
  );
  const desk = { kind: 'dispatcher' as const, id: 'bench-desk' };
  const ms = { with: [] as number[], without: [] as number[] };
  for (let i = 0; i < TRANSITIONS * 2; i++) {
    for (const [key, listeners, c] of [['with', withRollup, cases[0]!], ['without', without, cases[1]!]] as const) {
      const started = performance.now();
      await transition(String(c._id), i % 2 === 0 ? 'answer' : 'dispatcher_dropped', desk, { services: { pubsub: services.pubsub, caseListeners: listeners } });
      await listeners.settled();
      ms[key].push(performance.now() - started);
    }
  }
  console.log(`\na transition (answer / hand back) and its listeners settled, ${TRANSITIONS * 2} each, interleaved, a year of history in the database:`);
  const a = summary('without the statistics rollup', ms.without);
  const b = summary('with it (row + brigade-day pack)', ms.with);
  console.log(`  ratio with : without   p50 ${(b.p50 / a.p50).toFixed(1)}×   p99 ${(b.p99 / a.p99).toFixed(1)}×`);
}

// Alone (not imported by bench.ts).
if (process.argv[1] && /bench-statistics\.ts$/.test(process.argv[1])) {
  void (async () => {
    let uri = process.env.MONGODB_URI;
    const dataDir = join(REPO_ROOT, '.data', `bench-stats-${Date.now()}`);
    const engine = uri ? null : await startEmbeddedEngine({ dataDir });
    uri ??= engine!.uri;
    const fakes = await startFakes();
    try {
      const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'warn', ...fakes.env, MONGODB_URI: uri });
      await connectDatabase(uri, `bench_stats_${Date.now()}`);
      const services = createServices(config, createLogger('warn'));
      services.clock = () => new Date('2026-11-25T10:00:00+08:00');
      console.log(`engine: ${engine ? `embedded FerretDB (${engine.backend})` : uri.replace(/\/\/[^@]*@/, '//…@')}`);
      const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
      await benchStatistics(services, (label, values) => {
        const sorted = [...values].sort((x, y) => x - y);
        const f = (v: number) => `${v.toFixed(1)} ms`;
        console.log(`  ${label.padEnd(34)} p50 ${f(percentile(sorted, 50)).padStart(11)}   p99 ${f(percentile(sorted, 99)).padStart(11)}   (n=${values.length})`);
        return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
      });
      await mongoose.connection.dropDatabase().catch(() => undefined);
    } finally {
      await disconnectDatabase();
      await fakes.stop();
      await engine?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  })().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
