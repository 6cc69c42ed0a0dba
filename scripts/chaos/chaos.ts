/**
 * `npm run chaos [-- --clients 20 --seconds 30 --instances 2 --data-dir DIR --keep]`: a local
 * production-shaped cluster (the embedded engine, Redis, N instances behind HAProxy) under the chaos
 * clients while one instance, the engine and Redis are each killed with SIGKILL and restarted
 * (scripts/chaos/run.ts); then the database is checked. Prints the counts and the kill times; exits 1
 * if anything acknowledged was lost or duplicated, a chain does not verify, or a request went unanswered.
 * Loopback only, bounded in time: the run's seconds plus the restarts and the check.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { startCluster, type Cluster } from '../lib/cluster';
import { CHAOS_ENV, formatResult, runChaos } from './run';

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '30' },
    instances: { type: 'string', default: '2' },
    'data-dir': { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});

function positive(name: 'clients' | 'seconds' | 'instances', max: number): number {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${name} must be a whole number from 1 to ${max}`);
  return n;
}

async function main(): Promise<number> {
  const clients = positive('clients', 200);
  const seconds = positive('seconds', 600);
  const instances = positive('instances', 8);
  if (process.env.MONGODB_URI) throw new Error('npm run chaos kills the database engine: unset MONGODB_URI (the run starts its own embedded engine)');
  const dataDir = args['data-dir'] ?? mkdtempSync(join(tmpdir(), 'qh-chaos-'));
  // The engine's PostgreSQL runs as the postgres user, which must reach its folder inside.
  if (!args['data-dir']) chmodSync(dataDir, 0o755);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say(`cluster: ${instances} instances behind HAProxy, Redis, the embedded engine (data in ${dataDir})…`);
  let cluster: Cluster | null = null;
  try {
    cluster = await startCluster({ instances, dataDir, env: CHAOS_ENV });
    const result = await runChaos(cluster, { clients, seconds, log: say });
    say(formatResult(result));
    if (result.failed) say(`instance logs: ${join(dataDir, 'logs')}`);
    return result.failed ? 1 : 0;
  } finally {
    await mongoose.disconnect().catch(() => undefined);
    await cluster?.stop();
    if (!args.keep && !args['data-dir']) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`chaos: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(2);
  },
);
