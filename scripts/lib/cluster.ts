/**
 * A local production-shaped cluster on loopback: the database (the embedded engine, or MONGODB_URI),
 * Redis, a fake of every external service, N processes of the real entry point `server/src/main.ts`
 * and HAProxy in front of them (round robin, no stickiness). For the two-instance test, `npm run load`
 * and the chaos runs.
 *
 *   const cluster = await startCluster({ instances: 2, dataDir: '/tmp/c1' });
 *   await fetch(`${cluster.url}/api/v1/…`);        // through the balancer
 *   await cluster.instances[0]!.kill();            // kill -9 one instance…
 *   await cluster.instances[0]!.restart();         // …and bring it back on the same port
 *   await cluster.engine.kill(); await cluster.engine.restart();   // same port, same data folder
 *   await cluster.redis.kill();  await cluster.redis.restart();
 *   await cluster.stop();
 *
 * Every part comes back where it was (same port, same data folder), so the balancer and the clients
 * find it again without being told. Nothing here seeds data beyond what an instance does at start
 * (the default brigades): connect to `cluster.mongodbUri` / `cluster.dbName` for that.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startFakes, type RunningFakes } from '../../server/fakes';
import { within } from './child-exit';
import { instancePart, type ClusterInstance } from './cluster-instance';
import { databasePart, redisPart, type RestartablePart } from './cluster-parts';
import { freePort } from './free-port';
import { startLoadBalancer, type LoadBalancer } from './load-balancer';

export type { ClusterInstance } from './cluster-instance';
export type { RestartablePart } from './cluster-parts';

export interface ClusterOptions {
  /** Server instances behind the balancer (default 2). */
  instances?: number;
  /** Engine files, Redis' append-only file, the shared blob folder, the balancer's config and the instances' logs. */
  dataDir: string;
  /** An existing database server instead of the embedded engine (default: process.env.MONGODB_URI, else the engine). */
  mongodbUri?: string;
  /** The database name (default 'quickhandling'). */
  dbName?: string;
  /** Extra environment for every instance (after the cluster's own: may override NODE_ENV, LOG_LEVEL, limits…). */
  env?: Record<string, string>;
  /** Where each instance's stdout/stderr is appended as `<prefix>-<n>.log` (default `<dataDir>/logs`). */
  logDir?: string;
  logPrefix?: string;
  /** Already running fakes to point the instances at (not stopped by `stop()`); default: started here. */
  fakes?: RunningFakes;
  /** Fakes started here accept a WeChat code they did not issue as this openid (see startFakes). */
  acceptUnknownWechatCodesAs?: string;
  /** Embedded engine without fsync (throwaway clusters). Default true: kill -9 of the engine is still survivable by PostgreSQL. */
  fastEngine?: boolean;
  /** How long an instance may take to listen (default 60 s: two cold tsx starts on two cores). */
  startTimeoutMs?: number;
  /** Extra node flags for the instances, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] (written on a graceful stop). */
  nodeArgs?: string[];
}

export interface Cluster {
  /** The balancer: what clients use. */
  url: string;
  instances: ClusterInstance[];
  /** kill/restart throw when the cluster uses an external database (MONGODB_URI). */
  engine: RestartablePart & { external: boolean };
  redis: RestartablePart;
  balancer: LoadBalancer;
  fakes: RunningFakes;
  mongodbUri: string;
  dbName: string;
  /** The environment every instance got (the fakes, the database, Redis, …), without PORT. */
  env: Record<string, string>;
  dataDir: string;
  /** Everything down: balancer, instances (SIGTERM, bounded), Redis, fakes started here, engine. */
  stop(): Promise<void>;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const dataDir = resolve(options.dataDir);
  const logDir = options.logDir ?? join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const count = options.instances ?? 2;
  const started: { stop(): Promise<void> }[] = [];
  // Whatever fails half-way stops what was already started, newest first.
  const undo = async () => {
    for (const part of started.reverse()) await within(part.stop().catch(() => undefined), 25_000);
  };
  try {
    const engine = await databasePart(options, dataDir);
    started.push({ stop: engine.stopForGood });
    const redis = await redisPart(join(dataDir, 'redis'));
    started.push({ stop: redis.stopForGood });
    const fakes = options.fakes ?? (await startFakes(undefined, options.acceptUnknownWechatCodesAs ? { acceptUnknownWechatCodesAs: options.acceptUnknownWechatCodesAs } : {}));
    if (!options.fakes) started.push({ stop: () => fakes.stop() });
    const dbName = options.dbName ?? 'quickhandling';
    const env: Record<string, string> = {
      ...fakes.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      // Behind a balancer, as production runs (the client's address and scheme come from its headers).
      TRUST_PROXY: 'true',
      MONGODB_URI: engine.part.url,
      MONGODB_DB: dbName,
      REDIS_URL: redis.part.url,
      // Every instance reads and writes the same blobs (production: object storage).
      STORAGE_DIR: join(dataDir, 'blobs'),
      DB_UNAVAILABLE_AFTER_MS: '2000',
      ...options.env,
    };
    const instances: (ClusterInstance & { stopForGood(): Promise<void> })[] = [];
    for (let i = 0; i < count; i++) {
      instances.push(instancePart(i, await freePort(), env, join(logDir, `${options.logPrefix ?? 'instance'}-${i + 1}.log`), options.startTimeoutMs ?? 60_000, options.nodeArgs ?? []));
    }
    started.push({ stop: async () => void (await Promise.all(instances.map((s) => s.stopForGood()))) });
    // Two at once: each waits for its database connection and start-up reconcile, mostly I/O.
    await Promise.all(instances.map((s) => s.restart()));
    const balancer = await startLoadBalancer({ dir: join(dataDir, 'balancer'), backends: instances.map((s) => `127.0.0.1:${s.port}`) });
    started.push({ stop: () => balancer.stop() });
    await waitUntilBalanced(balancer.url, count);

    let stopped = false;
    return {
      url: balancer.url,
      instances,
      engine: engine.part,
      redis: redis.part,
      balancer,
      fakes,
      mongodbUri: engine.part.url,
      dbName,
      env,
      dataDir,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await undo();
      },
    };
  } catch (err) {
    await undo();
    throw err;
  }
}

/** Until the balancer's health checks have admitted every instance (a request is answered by each). */
async function waitUntilBalanced(url: string, count: number): Promise<void> {
  const seen = new Set<string>();
  const deadline = Date.now() + 15_000;
  while (seen.size < count) {
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      const by = res.headers.get('x-served-by');
      if (res.ok) seen.add(by ?? String(seen.size));
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`the balancer did not reach all ${count} instances within 15 s (reached ${seen.size})`);
    if (seen.size < count) await new Promise((r) => setTimeout(r, 100));
  }
}
