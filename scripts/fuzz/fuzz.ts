/**
 * `npm run fuzz [-- --requests N] [--schema FILE] [--seed S] [--workers W] [--parallel P] [--coverage-seconds S] [--max-seconds S]`:
 * the contract fuzz (run-fuzz.ts) with a summary table; exits 1 on any 5xx or malformed error.
 */
import { parseArgs } from 'node:util';
import { runFuzz } from './run-fuzz';
import { formatSummary, passed } from './summary';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '10000' },
    schema: { type: 'string' },
    seed: { type: 'string' },
    workers: { type: 'string', default: '2' },
    parallel: { type: 'string', default: '1' },
    'coverage-seconds': { type: 'string', default: '30' },
    'max-seconds': { type: 'string', default: '1200' },
  },
});

function positive(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, not "${text}"`);
  return n;
}

async function main() {
  const result = await runFuzz({
    requests: positive('requests', values.requests)!,
    schema: values.schema,
    seed: positive('seed', values.seed),
    workers: positive('workers', values.workers),
    parallel: positive('parallel', values.parallel),
    coverageSeconds: positive('coverage-seconds', values['coverage-seconds']),
    maxSeconds: positive('max-seconds', values['max-seconds']),
    log: (line) => console.log(`▸ ${line}`),
  });
  console.log(`\n${formatSummary(result)}`);
  for (const r of result.roles) if (r.stOutput && !passed(result)) console.log(`\nschemathesis (${r.role}):${r.stOutput}`);
  console.log(passed(result) ? '\nPASS: 0 × 5xx, every error in { code, message } shape' : '\nFAIL: see the answers above');
  process.exit(passed(result) ? 0 : 1);
}

main().catch((err: unknown) => {
  console.error(`fuzz failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
