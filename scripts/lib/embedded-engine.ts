import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { MongoClient } from 'mongodb';
import { describeExit, exitOf, stopChild, type ExitInfo } from './child-exit';

export const REPO_ROOT = resolve(__dirname, '../..');
export const FERRETDB_BIN = join(REPO_ROOT, '.tools/bin/ferretdb');
/** Mirrors FerretDB's indexes as GIN indexes its pushed-down filters can use (see the file). */
export const PG_INDEX_MIRROR_SQL = join(REPO_ROOT, 'scripts/ferretdb/pg-index-mirror.sql');

/** Where FerretDB stores: a private PostgreSQL cluster (the default) or SQLite files. */
export type EngineBackend = 'postgresql' | 'sqlite';

export function defaultBackend(): EngineBackend {
  const chosen = process.env.QH_ENGINE_BACKEND ?? 'postgresql';
  if (chosen !== 'postgresql' && chosen !== 'sqlite') throw new Error(`QH_ENGINE_BACKEND must be postgresql or sqlite, not "${chosen}"`);
  return chosen;
}

/** The PostgreSQL server programs: PG_BIN_DIR, else Debian's newest /usr/lib/postgresql/<version>/bin. */
export function postgresBinDir(): string {
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin/postgres'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) {
    throw new Error('the PostgreSQL server is not installed (no /usr/lib/postgresql/<version>/bin/postgres): run `npm run setup`, set PG_BIN_DIR, or QH_ENGINE_BACKEND=sqlite');
  }
  return join(root, newest, 'bin');
}

export interface EmbeddedEngine {
  uri: string;
  pid: number;
  backend: EngineBackend;
  /** postgresql: the cluster's unix socket folder (for psql, e.g. EXPLAIN in tests); null on SQLite. */
  pgSocketDir: string | null;
  /** Settles when the engine process ends, for whatever reason: a supervisor watches it to notice a crash. */
  exited: Promise<ExitInfo>;
  /** The engine's last stderr lines (what to show when it died). */
  lastOutput(): string;
  /** SIGTERM, then SIGKILL after 10 s; bounded. */
  stop(): Promise<void>;
}

export interface EngineOptions {
  /** The engine's folder: the PostgreSQL cluster in `pg/` (socket in `pg/run`), or the SQLite files. */
  dataDir: string;
  /** Default: QH_ENGINE_BACKEND, else postgresql. */
  backend?: EngineBackend;
  /** postgresql: no fsync (throwaway clusters of test runs and benches). */
  fast?: boolean;
  /** 0 (default) lets the engine pick a free port and tell us which. */
  port?: number;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  startTimeoutMs?: number;
  /**
   * Own process group: Ctrl-C in the terminal then reaches only the caller, which can stop the server
   * before its database. The engine still exits by itself when the caller is gone (-exit-with-parent).
   */
  detached?: boolean;
}

/**
 * Starts the embedded FerretDB engine — on a private PostgreSQL cluster it owns (started, and stopped
 * with it even when killed), or on SQLite — waits until it answers `ping`, and hands back its URI and a
 * clean stop. The binary is built by `npm run setup` (scripts/setup.sh).
 */
export async function startEmbeddedEngine(options: EngineOptions): Promise<EmbeddedEngine> {
  if (!existsSync(FERRETDB_BIN)) {
    throw new Error(`FerretDB is not built (${FERRETDB_BIN} missing): run \`npm run setup\` first`);
  }
  mkdirSync(options.dataDir, { recursive: true });
  const backend = options.backend ?? defaultBackend();
  const pgDir = join(resolve(options.dataDir), 'pg');
  const storage =
    backend === 'postgresql'
      ? [`-pg-bin=${postgresBinDir()}`, `-pg-dir=${pgDir}`, `-pg-setup-sql=${PG_INDEX_MIRROR_SQL}`, ...(options.fast ? ['-pg-fast'] : [])]
      : [`-sqlite-url=file:${resolve(options.dataDir)}/`];
  const child = spawn(FERRETDB_BIN, [`-listen-addr=127.0.0.1:${options.port ?? 0}`, ...storage, `-log-level=${options.logLevel ?? 'warn'}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  // Taken now, kept for the engine's whole life: a later crash must not go unnoticed.
  const exited = exitOf(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });

  const uri = await new Promise<string>((resolveUri, reject) => {
    let settled = false;
    const timeoutMs = options.startTimeoutMs ?? 60_000;
    const timer = setTimeout(() => fail(new Error(`FerretDB did not start within ${timeoutMs} ms`)), timeoutMs);
    const lines = createInterface({ input: child.stdout! });
    function fail(err: Error) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${err.message}\n${stderr}`));
    }
    lines.on('line', (line) => {
      const match = /^ready (mongodb:\/\/\S+)$/.exec(line.trim());
      if (match && !settled) {
        settled = true;
        clearTimeout(timer);
        resolveUri(match[1]!);
      }
    });
    void exited.then((info) => fail(new Error(`FerretDB ${describeExit(info)} before it was ready`)));
    child.once('error', (err) => fail(err));
  });

  try {
    await waitForPing(uri);
  } catch (err) {
    await stopChild(child, exited, 1000);
    throw err;
  }
  const pgSocketDir = backend === 'postgresql' ? join(pgDir, 'run') : null;
  return { uri, pid: child.pid!, backend, pgSocketDir, exited, lastOutput: () => stderr, stop: () => stopChild(child, exited, 20_000) };
}

async function waitForPing(uri: string): Promise<void> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    await client.db('admin').command({ ping: 1 });
  } finally {
    await client.close();
  }
}
