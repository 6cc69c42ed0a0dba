import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { describeExit, exitOf, stopChild, type ExitInfo } from './child-exit';
import { freePort } from './free-port';

export const REDIS_BIN = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';

export interface LocalRedis {
  url: string;
  port: number;
  pid: number;
  exited: Promise<ExitInfo>;
  lastOutput(): string;
  /** SIGTERM (Redis saves and exits), SIGKILL after 5 s. */
  stop(): Promise<void>;
  /** kill -9, as a crash would. */
  kill(): Promise<void>;
}

export interface RedisOptions {
  /** Its append-only file lives here, so a restart on the same folder keeps what was acknowledged. */
  dataDir: string;
  /** 0 (default): a free loopback port. A restart passes the old port so clients reconnect. */
  port?: number;
  /** No append-only file (throwaway test instances). */
  ephemeral?: boolean;
  detached?: boolean;
  startTimeoutMs?: number;
}

/**
 * Debian's redis-server on loopback for `npm start`, the tests and the chaos runs (production sets
 * REDIS_URL instead). Resolves once it says it accepts connections.
 */
export async function startRedis(options: RedisOptions): Promise<LocalRedis> {
  if (!existsSync(REDIS_BIN)) throw new Error(`redis-server is not installed (${REDIS_BIN} missing): run \`npm run setup\``);
  mkdirSync(options.dataDir, { recursive: true });
  const port = options.port || (await freePort());
  const persistence = options.ephemeral ? ['--save', '', '--appendonly', 'no'] : ['--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec'];
  const child = spawn(
    REDIS_BIN,
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', resolve(options.dataDir), '--daemonize', 'no', '--logfile', '', '--loglevel', 'notice', ...persistence],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: options.detached ?? false },
  );
  const exited = exitOf(child);
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stderr!.on('data', keep);
  await new Promise<void>((resolveReady, reject) => {
    let settled = false;
    const timeoutMs = options.startTimeoutMs ?? 15_000;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${err.message}\n${output}`));
    };
    const timer = setTimeout(() => fail(new Error(`redis-server did not start within ${timeoutMs} ms`)), timeoutMs);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output = (output + line + '\n').slice(-4000);
      if (!settled && /Ready to accept connections/.test(line)) {
        settled = true;
        clearTimeout(timer);
        resolveReady();
      }
    });
    void exited.then((info) => fail(new Error(`redis-server ${describeExit(info)} before it was ready`)));
    child.once('error', fail);
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    exited,
    lastOutput: () => output,
    stop: () => stopChild(child, exited, 5000),
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
