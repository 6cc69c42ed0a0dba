import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../scripts/lib/embedded-engine';
import { checkIdNumber } from '../src/identity/id-number';

/**
 * Stops the engine, then reads every log line the run's servers wrote: a whole, valid ID number in any
 * of them fails the run, whichever test caused it.
 */
export default async function globalTeardown(): Promise<void> {
  const handle = globalThis.__testEngine;
  if (handle) {
    await handle.engine.stop();
    rmSync(handle.dataDir, { recursive: true, force: true });
  }
  const redis = globalThis.__testRedis;
  if (redis) {
    await redis.redis.stop();
    rmSync(redis.dataDir, { recursive: true, force: true });
  }
  const dir = join(REPO_ROOT, 'test-output/logs');
  if (!existsSync(dir)) return;
  const leaks: string[] = [];
  for (const file of readdirSync(dir)) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const match of text.matchAll(/(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])/g)) {
      if (checkIdNumber(match[0]).ok) leaks.push(`${file}: ${match[0].slice(0, 4)}…`);
    }
  }
  if (leaks.length > 0) throw new Error(`whole ID numbers found in the server logs of this run:\n  ${leaks.join('\n  ')}`);
  process.stderr.write(`\nlog check: no whole ID number in ${readdirSync(dir).length} server logs of this run\n`);
}
