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
import { fork, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { startFakes, type RunningFakes } from '../../server/fakes';
import { describeExit, exitOf, hasExited, stopChild, within, type ExitInfo } from './child-exit';
import { REPO_ROOT, startEmbeddedEngine, type EmbeddedEngine } from './embedded-engine';
import { freePort } from './free-port';
import { startLoadBalancer, type LoadBalancer } from './load-balancer';
import { startRedis, type LocalRedis } from './redis-server';

const MAIN = join(REPO_ROOT, 'server/src/main.ts');

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

export interface ClusterInstance {
  /** 0-based position; `s<index + 1>` in the balancer's config. */
  index: number;
  /** Straight to this instance, bypassing the balancer. */
  url: string;
  port: number;
  /** The current process id (changes on restart). */
  pid(): number;
  /** The current process' X-Served-By (server/src/platform/request-context.ts), learnt when it started; '' before. */
  servedBy(): string;
  running(): boolean;
  /** Settles when the current process ends. */
  exited(): Promise<ExitInfo>;
  /** Everything the current and earlier processes of this instance printed (last 200 kB). */
  output(): string;
  /** kill -9, as a crash would; resolves once it is gone. */
  kill(): Promise<void>;
  /** SIGTERM: the instance drains its requests and closes its streams (graceful shutdown). */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same environment; resolves once it listens. Stops it first if running. */
  restart(): Promise<void>;
}

export interface RestartablePart {
  url: string;
  port: number;
  pid(): number;
  running(): boolean;
  /** kill -9. */
  kill(): Promise<void>;
  /** On the same port and data folder. */
  restart(): Promise<void>;
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

/** One server instance: a forked `main.ts` under tsx, restartable on its port. */
function instancePart(index: number, port: number, env: Record<string, string>, logFile: string, startTimeoutMs: number, nodeArgs: string[]): ClusterInstance & { stopForGood(): Promise<void> } {
  let child: ChildProcess | null = null;
  let exited: Promise<ExitInfo> = Promise.resolve({ code: null, signal: null });
  let output = '';
  let servedBy = '';
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    output = (output + text).slice(-200_000);
    appendLog(logFile, text);
  };
  const running = () => child !== null && !hasExited(child);
  const kill = async () => {
    if (!running()) return;
    child!.kill('SIGKILL');
    await exited;
  };
  // Past the server's own grace period (SHUTDOWN_GRACE_MS, 10 s by default), SIGKILL.
  const stop = async () => {
    if (running()) await stopChild(child!, exited, Number(env.SHUTDOWN_GRACE_MS ?? 10_000) + 5000);
  };
  const start = async () => {
    const forked = fork(MAIN, [], {
      execArgv: ['--import', 'tsx', ...nodeArgs],
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    child = forked;
    exited = exitOf(forked);
    keep(Buffer.from(`\n--- instance ${index + 1} (pid ${forked.pid}) starting on port ${port} at ${new Date().toISOString()}\n`));
    forked.stdout!.on('data', keep);
    forked.stderr!.on('data', keep);
    await new Promise<void>((resolveListening, reject) => {
      const timer = setTimeout(() => {
        forked.kill('SIGKILL');
        reject(new Error(`instance ${index + 1} did not listen on ${port} within ${startTimeoutMs} ms:\n${output.slice(-4000)}`));
      }, startTimeoutMs);
      forked.on('message', (m: { type?: string }) => {
        if (m?.type !== 'listening') return;
        clearTimeout(timer);
        resolveListening();
      });
      void exited.then((info) => {
        clearTimeout(timer);
        reject(new Error(`instance ${index + 1} ${describeExit(info)} before listening:\n${output.slice(-4000)}`));
      });
    });
    const health = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5000) });
    servedBy = health.headers.get('x-served-by') ?? '';
  };
  return {
    index,
    url: `http://127.0.0.1:${port}`,
    port,
    pid: () => child?.pid ?? 0,
    servedBy: () => servedBy,
    running,
    exited: () => exited,
    output: () => output,
    kill,
    stop,
    restart: async () => {
      await stop();
      await start();
    },
    stopForGood: stop,
  };
}

/** A log line must never take the run down: the folder may have been cleared meanwhile (a test run starting). */
function appendLog(file: string, text: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, text);
  } catch {
    // the output is still kept in memory (instance.output())
  }
}

/** The embedded engine on a fixed port after its first start, or an external database that is not ours to kill. */
async function databasePart(options: ClusterOptions, dataDir: string): Promise<{ part: RestartablePart & { external: boolean }; stopForGood(): Promise<void> }> {
  const external = options.mongodbUri ?? process.env.MONGODB_URI;
  if (external) {
    const notOurs = () => Promise.reject(new Error('the cluster uses an external database (MONGODB_URI): it cannot kill or restart it'));
    const port = Number(/:(\d+)(?:[/?,]|$)/.exec(external)?.[1] ?? 27017);
    return { part: { url: external, port, external: true, pid: () => 0, running: () => true, kill: notOurs, restart: notOurs }, stopForGood: async () => undefined };
  }
  const engineDir = join(dataDir, 'db');
  let engine: EmbeddedEngine = await startEmbeddedEngine({ dataDir: engineDir, fast: options.fastEngine ?? true });
  const url = engine.uri;
  const port = Number(new URL(url.replace(/^mongodb:/, 'http:')).port);
  let engineGone = false;
  const running = () => !engineGone;
  const watch = (e: EmbeddedEngine) => void e.exited.then(() => e === engine && (engineGone = true));
  watch(engine);
  const kill = async () => {
    if (!running()) return;
    process.kill(engine.pid, 'SIGKILL');
    await engine.exited;
  };
  return {
    part: {
      url,
      port,
      external: false,
      pid: () => engine.pid,
      running,
      kill,
      restart: async () => {
        if (running()) await engine.stop();
        // PostgreSQL under a killed engine exits with it (its postmaster notices): the start retries while it lets go of its folder.
        const deadline = Date.now() + 30_000;
        for (;;) {
          try {
            engine = await startEmbeddedEngine({ dataDir: engineDir, fast: options.fastEngine ?? true, port });
            break;
          } catch (err) {
            if (Date.now() > deadline) throw err;
            await new Promise((r) => setTimeout(r, 500));
          }
        }
        engineGone = false;
        watch(engine);
      },
    },
    stopForGood: () => (running() ? engine.stop() : Promise.resolve()),
  };
}

/** Redis with its append-only file, restarted on the same port and folder. */
async function redisPart(dir: string): Promise<{ part: RestartablePart; stopForGood(): Promise<void> }> {
  let redis: LocalRedis = await startRedis({ dataDir: dir });
  const port = redis.port;
  let gone = false;
  const watch = (r: LocalRedis) => void r.exited.then(() => r === redis && (gone = true));
  watch(redis);
  const running = () => !gone;
  return {
    part: {
      url: redis.url,
      port,
      pid: () => redis.pid,
      running,
      kill: async () => {
        if (running()) await redis.kill();
      },
      restart: async () => {
        if (running()) await redis.stop();
        redis = await startRedis({ dataDir: dir, port });
        gone = false;
        watch(redis);
      },
    },
    stopForGood: () => (running() ? redis.stop() : Promise.resolve()),
  };
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
