/** One server instance of the local cluster (cluster.ts): a forked `server/src/main.ts` under tsx, killable and restartable on its port. */
import { fork, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describeExit, exitOf, hasExited, stopChild, type ExitInfo } from './child-exit';
import { REPO_ROOT } from './embedded-engine';

const MAIN = join(REPO_ROOT, 'server/src/main.ts');

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

/** One server instance: a forked `main.ts` under tsx, restartable on its port. */
export function instancePart(index: number, port: number, env: Record<string, string>, logFile: string, startTimeoutMs: number, nodeArgs: string[]): ClusterInstance & { stopForGood(): Promise<void> } {
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

