import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { MongoClient } from 'mongodb';
import { describeExit, exitOf, stopChild, type ExitInfo } from './child-exit';

export const REPO_ROOT = resolve(__dirname, '../..');
export const FERRETDB_BIN = join(REPO_ROOT, '.tools/bin/ferretdb');

export interface EmbeddedEngine {
  uri: string;
  pid: number;
  /** Settles when the engine process ends, for whatever reason: a supervisor watches it to notice a crash. */
  exited: Promise<ExitInfo>;
  /** The engine's last stderr lines (what to show when it died). */
  lastOutput(): string;
  /** SIGTERM, then SIGKILL after 10 s; bounded. */
  stop(): Promise<void>;
}

export interface EngineOptions {
  /** Directory for the SQLite files (one per database). */
  dataDir: string;
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
 * Starts the embedded FerretDB engine (SQLite storage), waits until it answers `ping`, and hands back
 * its URI and a clean stop. The binary is built by `npm run setup` (scripts/setup.sh).
 */
export async function startEmbeddedEngine(options: EngineOptions): Promise<EmbeddedEngine> {
  if (!existsSync(FERRETDB_BIN)) {
    throw new Error(`FerretDB is not built (${FERRETDB_BIN} missing): run \`npm run setup\` first`);
  }
  mkdirSync(options.dataDir, { recursive: true });
  const child = spawn(
    FERRETDB_BIN,
    [`-listen-addr=127.0.0.1:${options.port ?? 0}`, `-sqlite-url=file:${resolve(options.dataDir)}/`, `-log-level=${options.logLevel ?? 'warn'}`],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: options.detached ?? false },
  );
  // Taken now, kept for the engine's whole life: a later crash must not go unnoticed.
  const exited = exitOf(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });

  const uri = await new Promise<string>((resolveUri, reject) => {
    let settled = false;
    const timer = setTimeout(() => fail(new Error(`FerretDB did not start within ${options.startTimeoutMs ?? 30_000} ms`)), options.startTimeoutMs ?? 30_000);
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
  return { uri, pid: child.pid!, exited, lastOutput: () => stderr, stop: () => stopChild(child, exited, 10_000) };
}

async function waitForPing(uri: string): Promise<void> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    await client.db('admin').command({ ping: 1 });
  } finally {
    await client.close();
  }
}
