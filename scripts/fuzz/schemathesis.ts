import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../lib/embedded-engine';
import { exitOf, stopChild, within } from '../lib/child-exit';

/** The schemathesis CLI in the project's own virtualenv (setup.sh step 7). */
export const ST_BIN = join(REPO_ROOT, '.venv-fuzz/bin/st');

export function assertSchemathesis(): void {
  if (!existsSync(ST_BIN)) throw new Error(`schemathesis is not installed (${ST_BIN} missing): run \`npm run setup\``);
}

/**
 * Left out of the run, and why: a logout ends the very session the run authenticates with (the rest of
 * the role's run would be 401s); an event stream never ends, so each request would only time out.
 */
export const EXCLUDED_PATHS = ['/logout$', '/stream$'];
/** Schemathesis keeps only the last of several `--exclude-path-regex`: one pattern for all. */
const EXCLUDED_PATH_REGEX = EXCLUDED_PATHS.map((p) => `(${p})`).join('|');

export interface StRunOptions {
  /** The document: a URL, or a file (then `baseUrl` is where the API is). */
  schema: string;
  baseUrl: string;
  headers: Record<string, string>;
  maxExamples: number;
  harPath: string;
  seed: number;
  /** Only fuzzing on top-up rounds; the example and coverage phases give the same requests again. */
  phases: string;
  /**
   * Past this the run is stopped (its HAR then lost). Not schemathesis' --max-time: with it the fuzzing
   * phase repeats until the time is spent, whatever --max-examples says.
   */
  killAfterSeconds: number;
  /** The coverage phase only (it does not repeat): stop generating after this long, keeping the HAR. */
  maxTimeSeconds?: number;
  workers: number;
}

export interface StRunResult {
  exitCode: number | null;
  /** Schemathesis' own closing lines (its failures and the checks' summary). */
  output: string;
}

/**
 * One `st run`: positive and negative data, every check that concerns this issue — no 5xx, and every
 * response (errors included) matching the document's schema. Schemathesis' own verdict is kept for the
 * reader; the counts come from the HAR of every exchange (see har.ts).
 */
export async function runSchemathesis(o: StRunOptions): Promise<StRunResult> {
  assertSchemathesis();
  const isUrl = /^https?:\/\//.test(o.schema);
  const args = [
    'run',
    o.schema,
    ...(isUrl ? [] : ['--url', o.baseUrl]),
    ...Object.entries(o.headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]),
    '--checks', 'not_a_server_error,response_schema_conformance',
    '--phases', o.phases,
    '--mode', 'all',
    '--max-examples', String(o.maxExamples),
    ...(o.maxTimeSeconds ? ['--max-time', String(Math.max(1, Math.round(o.maxTimeSeconds)))] : []),
    '--seed', String(o.seed),
    '--workers', String(o.workers),
    '--request-timeout', '15',
    '--continue-on-failure',
    '--no-shrink',
    '--suppress-health-check', 'all',
    '--generation-database', 'none',
    '--warnings', 'off',
    '--no-color',
    '--report', 'har',
    '--report-har-path', o.harPath,
    '--exclude-path-regex', EXCLUDED_PATH_REGEX,
  ];
  // Its working folder: schemathesis leaves a cache folder there (kept out of the checkout).
  const child = spawn(ST_BIN, args, { cwd: dirname(o.harPath), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_TELEMETRY: 'false' } });
  const exited = exitOf(child);
  let output = '';
  const keep = (c: Buffer) => (output = (output + c.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const done = await within(exited, o.killAfterSeconds * 1000);
  if (!done) {
    await stopChild(child, exited, 5000);
    return { exitCode: null, output: `${output}\n(schemathesis stopped: it ran past its time budget)` };
  }
  return { exitCode: done.code, output };
}
