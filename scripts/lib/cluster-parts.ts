/** The cluster's (cluster.ts) database and Redis, each killable and restartable on its port and data folder. */
import { join } from 'node:path';
import { startEmbeddedEngine, type EmbeddedEngine } from './embedded-engine';
import { startRedis, type LocalRedis } from './redis-server';

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

/** The embedded engine on a fixed port after its first start, or an external database that is not ours to kill. */
export async function databasePart(options: { mongodbUri?: string; fastEngine?: boolean }, dataDir: string): Promise<{ part: RestartablePart & { external: boolean }; stopForGood(): Promise<void> }> {
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
export async function redisPart(dir: string): Promise<{ part: RestartablePart; stopForGood(): Promise<void> }> {
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
