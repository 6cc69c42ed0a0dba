/**
 * The chaos run against a started cluster (scripts/lib/cluster.ts, with CHAOS_ENV): `clients` driver
 * pairs with a dispatcher each go round the real flow (round.ts) through the balancer for `seconds`,
 * while at fixed points of the run one server instance, then the database engine, then Redis are
 * killed with SIGKILL and restarted on their ports and folders (each kill also waits until the part
 * before it is back: an instance cannot start without its database). Then verify.ts checks the database.
 * Used by `npm run chaos` (scripts/chaos/chaos.ts) and the short run in npm test
 * (server/test/chaos/cluster-chaos.test.ts).
 */
import { randomBytes } from 'node:crypto';
import type { Cluster } from '../lib/cluster';
import { connectTo, openAllDay, signedInStaff, verifiedDrivers, type ClusterStaff } from '../lib/cluster-people';
import { KINDS, Ledger } from './ledger';
import { runClient, type Pair } from './round';
import { verdictFailed, verifyRun, type Verdict } from './verify';

/** What every instance of a chaos cluster gets: small chunks (an upload is several requests), quick password hashes. */
export const CHAOS_ENV: Record<string, string> = {
  UPLOAD_CHUNK_BYTES: '16384',
  PASSWORD_HASH_COST: '10',
  SHUTDOWN_GRACE_MS: '3000',
};

export type FaultPart = 'instance' | 'engine' | 'redis';

export interface Fault {
  part: FaultPart;
  /** Seconds since the clients started. */
  killedAt: number;
  restartedAt: number;
}

export interface ChaosOptions {
  clients: number;
  seconds: number;
  /** Where progress lines go (default: nowhere). */
  log?: (line: string) => void;
  /** How long one request may keep being retried (default 45 s). */
  operationBudgetMs?: number;
  photoBytes?: number;
  /** The share of uploads cut mid-chunk on purpose, besides those the kills cut (default 0.3). */
  dropChance?: number;
}

export interface ChaosResult {
  clients: number;
  seconds: number;
  elapsedSeconds: number;
  rounds: number;
  ledger: Ledger;
  faults: Fault[];
  verdict: Verdict;
  /** A dispatcher of the run, for further checks through the API. */
  verifier: ClusterStaff;
  /** Requests the instances logged as answered 500 (also those whose client was gone and never heard it). */
  serverErrors: string[];
  failed: boolean;
}

/** When each part is killed, as a share of the run, and how long it stays down before its restart. */
const SCHEDULE: { part: FaultPart; at: number; downMs: number }[] = [
  { part: 'instance', at: 0.15, downMs: 2000 },
  { part: 'engine', at: 0.4, downMs: 1000 },
  { part: 'redis', at: 0.65, downMs: 1000 },
];

const pause = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

export async function runChaos(cluster: Cluster, options: ChaosOptions): Promise<ChaosResult> {
  const log = options.log ?? (() => undefined);
  await connectTo(cluster);
  await openAllDay('chaos-run');
  const tag = randomBytes(3).toString('hex');
  const drivers = await verifiedDrivers(cluster, options.clients * 2);
  const pairs: Pair[] = [];
  for (let i = 0; i < options.clients; i++) {
    const desk = await signedInStaff(cluster, { username: `chaos-${tag}-${i}` });
    pairs.push({ a: { ...drivers[2 * i]!, plate: plate(2 * i) }, b: { ...drivers[2 * i + 1]!, plate: plate(2 * i + 1) }, desk });
  }
  const verifier = pairs[0]!.desk;
  log(`chaos: ${options.clients} clients (driver pairs with a dispatcher each) for ${options.seconds} s through ${cluster.url}`);

  const ledger = new Ledger();
  const started = Date.now();
  const since = () => Math.round((Date.now() - started) / 100) / 10;
  const faults: Fault[] = [];
  let faultsDone = false;
  const stopAt = started + options.seconds * 1000;
  // Clients go on until the run's time is up and every part is back: each fault hits a working load.
  const stop = () => Date.now() >= stopAt && faultsDone;

  const faulting = (async () => {
    try {
      // An external database (MONGODB_URI) is not ours to kill: the other two faults still run.
      for (const step of SCHEDULE.filter((s) => s.part !== 'engine' || !cluster.engine.external)) {
        await pause(started + step.at * options.seconds * 1000 - Date.now());
        const part = step.part === 'instance' ? cluster.instances[0]! : step.part === 'engine' ? cluster.engine : cluster.redis;
        const killedAt = since();
        await part.kill();
        log(`  ${killedAt.toFixed(1)} s: kill -9 ${step.part}${step.part === 'instance' ? ' 1' : ''}`);
        await pause(step.downMs);
        await part.restart();
        const restartedAt = since();
        log(`  ${restartedAt.toFixed(1)} s: ${step.part} restarted`);
        faults.push({ part: step.part, killedAt, restartedAt });
      }
    } finally {
      faultsDone = true;
    }
  })();

  const rounds = await Promise.all(
    pairs.map((pair) =>
      runClient(pair, { base: cluster.url, ledger, operationBudgetMs: options.operationBudgetMs ?? 45_000, photoBytes: options.photoBytes ?? 60_000, dropChance: options.dropChance ?? 0.3 }, stop),
    ),
  );
  await faulting;
  const elapsedSeconds = since();
  log(`  ${elapsedSeconds.toFixed(1)} s: clients done; checking the database`);
  const verdict = await verifyRun(ledger, cluster.url, verifier);
  const serverErrors = cluster.instances.flatMap((instance) => loggedErrors(instance.output()).map((line) => `instance ${instance.index + 1}: ${line}`));
  // A 500 is a bug even when its retry succeeded (every error is a 4xx with a code, or a 503 while a part is down).
  const failed = verdictFailed(verdict) || ledger.errors.length > 0 || serverErrors.length > 0 || ledger.total('unanswered') + ledger.total('refused') > 0 || ledger.problems.length > 0 || faults.length < SCHEDULE.length - (cluster.engine.external ? 1 : 0);
  return { clients: options.clients, seconds: options.seconds, elapsedSeconds, rounds: rounds.reduce((a, b) => a + b, 0), ledger, faults, verdict, serverErrors, verifier, failed };
}

/** The request-log lines of 500 answers in an instance's output (pino JSON lines), shortened. */
function loggedErrors(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => line.includes('"status":500'))
    .map((line) => {
      try {
        const entry = JSON.parse(line) as { time?: string; method?: string; path?: string; requestId?: string };
        return `${entry.time} ${entry.method} ${entry.path} (${entry.requestId})`;
      } catch {
        return line.slice(0, 200);
      }
    });
}

/** Distinct plates per driver of a run: 粤J plus five digits. */
const plate = (n: number) => `粤J${String(10000 + (n % 90000))}`;

/** The figures, one line per operation kind, as `npm run chaos` prints them. */
export function formatResult(r: ChaosResult): string {
  const { ledger, verdict } = r;
  const lines = [
    `chaos: ${r.clients} clients, ${r.seconds} s planned, ${r.elapsedSeconds} s run, ${r.rounds} rounds finished`,
    `faults: ${r.faults.map((f) => `kill -9 ${f.part} at ${f.killedAt} s (back at ${f.restartedAt} s)`).join('; ') || 'none'}`,
    `${'kind'.padEnd(9)}${['sent', 'acked', 'retried', 'unanswered', 'refused', 'lost', 'duplicated', 'mean ms'].map((h) => h.padStart(11)).join('')}`,
  ];
  for (const kind of KINDS) {
    const c = ledger.counts[kind];
    const lost = kind === 'safety' ? '-' : String(verdict.lost[kind]);
    const dup = kind === 'safety' ? '-' : String(verdict.duplicated[kind]);
    lines.push(`${kind.padEnd(9)}${[c.sent, c.acknowledged, c.retried, c.unanswered, c.refused, lost, dup, c.acknowledged ? Math.round(c.ms / c.acknowledged) : '-'].map((n) => String(n).padStart(11)).join('')}`);
  }
  const sum = (x: Record<string, number>) => Object.values(x).reduce((a, b) => a + b, 0);
  lines.push(
    `total    ${[ledger.total('sent'), ledger.total('acknowledged'), ledger.total('retried'), ledger.total('unanswered'), ledger.total('refused'), sum(verdict.lost), sum(verdict.duplicated)].map((n) => String(n).padStart(11)).join('')}`,
    `idempotency keys with two cases: ${verdict.keysWithTwoCases}; drivers in two active cases: ${verdict.driversInTwoActiveCases}`,
    `evidence chains verified: ${verdict.chainsChecked - verdict.chainsBroken}/${verdict.chainsChecked}; uploads interrupted and resumed: ${verdict.uploadsInterrupted}, fixed with another hash than sent: ${verdict.uploadsWrongHash}; cases stuck: ${verdict.stuck} (events left pending by a kill and finished by the next read: ${verdict.finishedByARead})`,
    `5xx answers seen (each retried): ${[...ledger.fiveHundreds].map(([k, n]) => `${k} ×${n}`).join(', ') || 'none'}`,
  );
  lines.push(`500s logged by the instances: ${r.serverErrors.length}`);
  for (const e of [...ledger.errors, ...r.serverErrors.slice(0, 10)]) lines.push(`  500: ${e}`);
  for (const d of verdict.details) lines.push(`  ! ${d}`);
  for (const p of ledger.problems) lines.push(`  ! ${p}`);
  lines.push(r.failed ? 'RESULT: FAILED' : 'RESULT: ok — nothing lost, nothing duplicated, every chain verifies');
  return lines.join('\n');
}
