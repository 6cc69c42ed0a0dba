import { join } from 'node:path';
import { REPO_ROOT } from '../../../scripts/lib/embedded-engine';
import { runFuzz, type FuzzResult } from '../../../scripts/fuzz/run-fuzz';
import { FUZZ_ROLES } from '../../../scripts/fuzz/stack';
import { formatSummary } from '../../../scripts/fuzz/summary';

/**
 * The short contract fuzz (`npm run fuzz` is the long one): the server as its own process on the run's
 * engine, schemathesis against /api/openapi.json as each role with real credentials, ≈ 1 000 requests.
 * Without schemathesis (.venv-fuzz, made by `npm run setup`) this fails, saying so: it is not skipped.
 */
describe('contract fuzz (short)', () => {
  let result: FuzzResult;

  beforeAll(async () => {
    result = await runFuzz({
      requests: 1000,
      mongodbUri: process.env.TEST_MONGODB_URI,
      reportDir: join(REPO_ROOT, 'test-output/fuzz-short'),
      coverageSeconds: 0,
      maxSeconds: 70,
      workers: 2,
      parallel: 1,
    });
    console.log(formatSummary(result));
  }, 150_000);

  it('sends about 1 000 generated requests, as every role', () => {
    expect(result.total.requests).toBeGreaterThanOrEqual(800);
    expect(result.roles.map((r) => r.role)).toEqual(FUZZ_ROLES);
    for (const { tally } of result.roles) expect(tally.requests).toBeGreaterThan(50);
    // Credentials worked: each signed-in role reached some of its own handlers.
    expect(result.roles.filter((r) => r.role !== 'anonymous').every((r) => (r.tally.byClass['2xx'] ?? 0) > 0)).toBe(true);
  });

  it('gets no 5xx', () => {
    expect(result.total.serverErrors).toEqual([]);
  });

  it('gets every error as { code, message }', () => {
    expect(result.total.malformed).toEqual([]);
  });
});
