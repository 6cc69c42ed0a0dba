import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `npm start` as a real process tree (start.ts → FerretDB engine + server): whichever part dies, the rest
 * must not linger, and what a killed run leaves behind must not block the next one.
 */
const REPO_ROOT = join(__dirname, '..');
const START = join(__dirname, 'start.ts');
const UP_MS = 90_000; // engine + fakes + demo seed + server on a busy 2-core machine
const DOWN_MS = 15_000;

interface Run {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

const runs: Run[] = [];
const strays = new Set<number>();
const dataDirs: string[] = [];

function runStart(env: { PORT: string; QH_DATA_DIR: string }): Run {
  // Only what start.ts needs: no MONGODB_URI (the embedded engine is the point), no jest NODE_ENV.
  const child = spawn(process.execPath, ['--import', 'tsx', START], {
    cwd: REPO_ROOT,
    // QH_MINIPROGRAM_CONFIG=off: a throw-away port must not repoint the developer tools' config.local.ts.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), QH_MINIPROGRAM_CONFIG: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const run = { child, exited, output: () => output };
  runs.push(run);
  return run;
}

async function within<T>(promise: Promise<T>, ms: number, what: string, run?: Run): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms${run ? `\n--- output ---\n${run.output()}` : ''}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function poll(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function upAndRunning(run: Run): Promise<void> {
  await within(
    new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => run.output().includes('is running') && (clearInterval(timer), resolve()), 100);
      void run.exited.then(({ code, signal }) => (clearInterval(timer), reject(new Error(`start.ts exited early (${code ?? signal}):\n${run.output()}`))));
    }),
    UP_MS,
    'the "is running" banner',
    run,
  );
}

/** A live (non-zombie) process's command line, or null. */
function commandLine(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return null;
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return null;
  }
}

const alive = (pid: number) => commandLine(pid) !== null;

/** The engine, the server and Redis start.ts started, found from the process table (not from anything start.ts says). */
function stackOf(pid: number): { engine: number; server: number; redis: number } {
  const children = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((child) => {
      try {
        const stat = readFileSync(`/proc/${child}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    });
  const engine = children.find((c) => commandLine(c)?.includes('.tools/bin/ferretdb'));
  const server = children.find((c) => commandLine(c)?.includes('server/src/main.ts'));
  const redis = children.find((c) => commandLine(c)?.includes('redis-server'));
  if (!engine || !server || !redis) throw new Error(`engine, server or Redis not found among children of ${pid}: ${children.map((c) => commandLine(c)).join(' | ')}`);
  strays.add(engine).add(server).add(redis);
  return { engine, server, redis };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function freshEnv() {
  // Under the ignored data folder: the PostgreSQL cluster's owner must be able to reach it (a 0700 temp folder is not).
  mkdirSync(join(REPO_ROOT, '.data'), { recursive: true });
  const dir = mkdtempSync(join(REPO_ROOT, '.data', 'start-test-'));
  chmodSync(dir, 0o755);
  dataDirs.push(dir);
  return { PORT: String(await freePort()), QH_DATA_DIR: dir };
}

afterAll(async () => {
  for (const run of runs) if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
  for (const pid of strays) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await Promise.all(runs.map((run) => within(run.exited, 5000, 'cleanup').catch(() => undefined)));
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
}, 30_000);

describe('npm start (scripts/start.ts)', () => {
  it('brings the whole stack down, non-zero, when the server is killed by a signal', async () => {
    const run = runStart(await freshEnv());
    await upAndRunning(run);
    const { engine, server } = stackOf(run.child.pid!);

    process.kill(server, 'SIGKILL');
    const { code } = await within(run.exited, DOWN_MS, 'start.ts exiting after its server was killed', run);
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(run.output()).toMatch(/server .*SIGKILL/);
    await poll(() => !alive(engine), 5000, 'the engine stopping');
  }, UP_MS + 30_000);

  it('brings the whole stack down, non-zero, when the engine dies', async () => {
    const run = runStart(await freshEnv());
    await upAndRunning(run);
    const { engine, server } = stackOf(run.child.pid!);

    process.kill(engine, 'SIGKILL');
    const { code } = await within(run.exited, DOWN_MS, 'start.ts exiting after its engine was killed', run);
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(run.output()).toMatch(/engine .*SIGKILL/i);
    await poll(() => !alive(server), 5000, 'the server stopping');
  }, UP_MS + 30_000);

  it('leaves no orphan behind when start.ts itself is SIGKILLed; the next start on the same port comes up and Ctrl-C stops it with 0', async () => {
    const env = await freshEnv();
    const first = runStart(env);
    await upAndRunning(first);
    const { engine, server, redis } = stackOf(first.child.pid!);

    first.child.kill('SIGKILL');
    await first.exited;
    // Nobody is left to stop them: they must notice on their own (Redis through its watcher).
    await poll(() => !alive(server) && !alive(engine) && !alive(redis), DOWN_MS, 'the orphaned server, engine and Redis exiting by themselves');

    const second = runStart(env);
    await upAndRunning(second);
    const next = stackOf(second.child.pid!);
    second.child.kill('SIGINT');
    const { code } = await within(second.exited, DOWN_MS, 'start.ts stopping on Ctrl-C', second);
    expect(code).toBe(0);
    expect(alive(next.engine) || alive(next.server) || alive(next.redis)).toBe(false);
  }, 2 * UP_MS + 30_000);

  it('stops a stale stack left by a killed run (even a frozen one) before starting, and says so', async () => {
    const env = await freshEnv();
    const first = runStart(env);
    await upAndRunning(first);
    const stale = stackOf(first.child.pid!);
    // Frozen, they cannot notice their parent is gone: only the next start can clear them.
    process.kill(stale.server, 'SIGSTOP');
    process.kill(stale.engine, 'SIGSTOP');
    first.child.kill('SIGKILL');
    await first.exited;

    const second = runStart(env);
    await upAndRunning(second);
    expect(alive(stale.server)).toBe(false);
    expect(alive(stale.engine)).toBe(false);
    expect(second.output()).toMatch(new RegExp(`stale .*${stale.server}|${stale.server}.*stale`));
    second.child.kill('SIGINT');
    expect((await within(second.exited, DOWN_MS, 'start.ts stopping on Ctrl-C', second)).code).toBe(0);
  }, 2 * UP_MS + 30_000);

  it('refuses a second start on the same data while the first is running, and leaves the first running', async () => {
    const env = await freshEnv();
    const first = runStart(env);
    await upAndRunning(first);
    const running = stackOf(first.child.pid!);

    const second = runStart(env);
    const { code } = await within(second.exited, UP_MS, 'the second start giving up', second);
    expect(code).not.toBe(0);
    expect(second.output()).toContain(`npm start is already running on this data (pid ${first.child.pid}`);
    expect(second.output()).not.toMatch(/\n\s+at /);
    expect(alive(running.server) && alive(running.engine) && first.child.exitCode === null).toBe(true);
    expect((await fetch(`http://127.0.0.1:${env.PORT}/healthz`)).status).toBe(200);

    first.child.kill('SIGINT');
    expect((await within(first.exited, DOWN_MS, 'start.ts stopping on Ctrl-C', first)).code).toBe(0);
  }, 2 * UP_MS + 30_000);

  it('says which port is busy, without a stack trace, when PORT is taken by another program', async () => {
    const env = await freshEnv();
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(Number(env.PORT), '127.0.0.1', resolve));
    try {
      const run = runStart(env);
      const { code } = await within(run.exited, UP_MS, 'start.ts giving up on a busy port', run);
      expect(code).not.toBe(0);
      expect(run.output()).toContain(`port ${env.PORT} is already in use`);
      expect(run.output()).not.toMatch(/\n\s+at /);
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  }, UP_MS + 30_000);
});
