import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { MongoClient } from 'mongodb';

export const REPO_ROOT = resolve(__dirname, '../..');
export const FERRETDB_BIN = join(REPO_ROOT, '.tools/bin/ferretdb');

export interface EmbeddedEngine {
  uri: string;
  pid: number;
  stop(): Promise<void>;
}

export interface EngineOptions {
  /** Directory for the SQLite files (one per database). */
  dataDir: string;
  /** 0 (default) lets the engine pick a free port and tell us which. */
  port?: number;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  startTimeoutMs?: number;
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
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });

  const uri = await new Promise<string>((resolveUri, reject) => {
    const timer = setTimeout(() => fail(new Error(`FerretDB did not start within ${options.startTimeoutMs ?? 30_000} ms`)), options.startTimeoutMs ?? 30_000);
    const lines = createInterface({ input: child.stdout! });
    function fail(err: Error) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${err.message}\n${stderr}`));
    }
    lines.on('line', (line) => {
      const match = /^ready (mongodb:\/\/\S+)$/.exec(line.trim());
      if (match) {
        clearTimeout(timer);
        resolveUri(match[1]!);
      }
    });
    child.once('exit', (code) => fail(new Error(`FerretDB exited with code ${code} before it was ready`)));
    child.once('error', (err) => fail(err));
  });
  child.removeAllListeners('exit');

  await waitForPing(uri);
  return { uri, pid: child.pid!, stop: () => stopChild(child) };
}

async function waitForPing(uri: string): Promise<void> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    await client.db('admin').command({ ping: 1 });
  } finally {
    await client.close();
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}
