import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../lib/embedded-engine';
import { documentFacts, documentFor, loadDocument } from './document';
import { addTally, emptyTally, tallyHar, type Tally } from './har';
import { assertSchemathesis, runSchemathesis } from './schemathesis';
import { FUZZ_ENV_OVERRIDES, FUZZ_ROLES, startFuzzStack, type FuzzRole } from './stack';

export interface FuzzOptions {
  /** Requests to send in all, spread evenly over the roles (at least this many unless time runs out). */
  requests: number;
  /** The document: default the stack's own `/api/openapi.json`; a file path for development. */
  schema?: string;
  /** An engine already running (jest's); default an embedded engine in a temp folder. */
  mongodbUri?: string;
  /** Seconds of schemathesis' coverage phase (edge values of every field) per role; 0 skips it. */
  coverageSeconds?: number;
  /** The whole run's time budget, start-up excluded. */
  maxSeconds?: number;
  /** Schemathesis workers (concurrent requests) of each run. */
  workers?: number;
  /** Roles fuzzed at the same time (each its own schemathesis); 1 runs them one after another. */
  parallel?: number;
  seed?: number;
  /** HAR files of every exchange go here (kept for reading after the run). */
  reportDir?: string;
  log?: (line: string) => void;
}

export interface RoleResult {
  role: FuzzRole;
  tally: Tally;
  /** Schemathesis runs that ended by a failure of their own (not ours: 5xx and shape are counted from the HAR). */
  stOutput: string;
}

export interface FuzzResult {
  roles: RoleResult[];
  total: Tally;
  operations: number;
  elapsedMs: number;
  /** Config variables the stack changed from their defaults (rate limits, long polls). */
  envOverrides: Readonly<Record<string, string>>;
  reportDir: string;
}

/** At most this many schemathesis runs per role: the first, then top-ups while the role is short of its share. */
const MAX_ROUNDS = 4;

/**
 * The contract fuzz: the whole stack on loopback, then schemathesis once per role with that role's real
 * credentials, against the published OpenAPI document. Every exchange is counted from the HAR.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzResult> {
  assertSchemathesis();
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const reportDir = resolve(options.reportDir ?? join(REPO_ROOT, 'test-output/fuzz'));
  mkdirSync(reportDir, { recursive: true });
  const stack = await startFuzzStack({ mongodbUri: options.mongodbUri, log });
  try {
    const location = options.schema ?? `${stack.base}/api/openapi.json`;
    const doc = await loadDocument(location);
    const facts = documentFacts(doc);
    if (facts.operations === 0) throw new Error(`the document at ${location} has no operations`);
    const perRole = Math.ceil(options.requests / FUZZ_ROLES.length);
    const budgetMs = (options.maxSeconds ?? 1200) * 1000;
    const fuzzStarted = Date.now();
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
    log(`fuzzing ${facts.operations} operations (${location}) as ${FUZZ_ROLES.join(', ')}: ≥ ${perRole} requests each (seed ${seed})`);

    const parallel = Math.max(1, Math.min(options.parallel ?? 1, FUZZ_ROLES.length));
    const waves = Math.ceil(FUZZ_ROLES.length / parallel);
    const fuzzRole = async (role: FuzzRole, i: number): Promise<RoleResult> => {
      // The role's wave's share of the time budget.
      const roleDeadline = fuzzStarted + (budgetMs * (Math.floor(i / parallel) + 1)) / waves;
      const headers = await stack.credentials(role);
      const roleDoc = documentFor(doc, role);
      const schema = join(reportDir, `${role}-openapi.json`);
      writeFileSync(schema, JSON.stringify(roleDoc));
      const operations = documentFacts(roleDoc).operations;
      const tally = emptyTally();
      let stOutput = '';
      const run = async (label: string, phases: string, maxExamples: number, seconds: number, maxTimeSeconds?: number) => {
        const harPath = join(reportDir, `${role}-${label}.har`);
        const t0 = Date.now();
        const res = await runSchemathesis({ schema, baseUrl: stack.base, headers, maxExamples, harPath, seed: seed + i * 100 + label.length, phases, killAfterSeconds: seconds + 60, maxTimeSeconds, workers: options.workers ?? 2 });
        const got = tallyHar(harPath, facts.humanPage);
        addTally(tally, got);
        log(`  ${role} ${label} (${phases}, ${maxExamples} example(s) × ${operations} operations): ${got.requests} requests in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        if (res.exitCode !== 0) stOutput += `\n--- ${label} (exit ${res.exitCode}) ---\n${res.output.slice(-4000)}`;
        return got.requests;
      };
      if (options.coverageSeconds) {
        const seconds = Math.min(options.coverageSeconds, secondsUntil(roleDeadline));
        await run('coverage', 'coverage', 1, seconds, seconds);
      }
      // One request per example and operation (no shrinking), fewer for operations with little to vary:
      // top-up rounds make up the difference.
      let examples = Math.max(1, Math.ceil((perRole - tally.requests) / operations));
      // Round 1 always: the coverage phase alone may fill the share, but it never sends random data.
      for (let round = 1; round <= MAX_ROUNDS && (round === 1 || tally.requests < perRole) && secondsUntil(roleDeadline) > 1; round++) {
        const got = await run(`round${round}`, round === 1 ? 'examples,fuzzing' : 'fuzzing', examples, secondsUntil(roleDeadline));
        // The next round asks for what is missing at the yield this one had (requests per example asked).
        const yieldPerExample = Math.max(got / (examples * operations), 0.1);
        examples = Math.max(1, Math.ceil((perRole - tally.requests) / operations / yieldPerExample));
      }
      log(`${role}: ${tally.requests} requests, ${tally.byClass['5xx']} × 5xx, ${tally.malformed.length} malformed errors`);
      return { role, tally, stOutput };
    };
    const roles: RoleResult[] = [];
    for (let w = 0; w < waves; w++) {
      const wave = FUZZ_ROLES.slice(w * parallel, (w + 1) * parallel);
      roles.push(...(await Promise.all(wave.map((role, k) => fuzzRole(role, w * parallel + k)))));
    }
    const total = roles.reduce((sum, r) => addTally(sum, structuredClone(r.tally)), emptyTally());
    return { roles, total, operations: facts.operations, elapsedMs: Date.now() - started, envOverrides: FUZZ_ENV_OVERRIDES, reportDir };
  } finally {
    await stack.stop();
  }
}

function secondsUntil(deadline: number): number {
  return Math.max(0, (deadline - Date.now()) / 1000);
}
