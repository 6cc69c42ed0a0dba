import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, startEmbeddedEngine, type EmbeddedEngine } from '../../scripts/lib/embedded-engine';
import { startRedis, type LocalRedis } from '../../scripts/lib/redis-server';

declare global {
  // Handed from setup to teardown (same process).
  var __testEngine: { engine: EmbeddedEngine; dataDir: string } | undefined;
  var __testRedis: { redis: LocalRedis; dataDir: string } | undefined;
}

/**
 * One real database engine for the whole run; each test file gets its own database in it.
 * MONGODB_URI set → test against that server (e.g. a MongoDB replica set) instead.
 */
export default async function globalSetup(): Promise<void> {
  // A fresh log folder per run: global-teardown reads everything in it.
  rmSync(join(REPO_ROOT, 'test-output/logs'), { recursive: true, force: true });
  await startTestRedis();
  if (process.env.MONGODB_URI) {
    process.env.TEST_MONGODB_URI = process.env.MONGODB_URI;
    return;
  }
  const dataDir = join(REPO_ROOT, '.data', `test-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  // A throwaway cluster: no fsync.
  const engine = await startEmbeddedEngine({ dataDir, fast: true });
  process.env.TEST_MONGODB_URI = engine.uri;
  globalThis.__testEngine = { engine, dataDir };
}

/**
 * One throwaway Redis for the run, as TEST_REDIS_URL. Tests opt in (startTestServer({ env: { REDIS_URL } })):
 * the single-instance default, without Redis, stays what every other test runs on. REDIS_URL set → that one.
 */
async function startTestRedis(): Promise<void> {
  if (process.env.REDIS_URL) {
    process.env.TEST_REDIS_URL = process.env.REDIS_URL;
    return;
  }
  const dataDir = join(REPO_ROOT, '.data', `test-redis-${process.pid}`);
  const redis = await startRedis({ dataDir, ephemeral: true });
  process.env.TEST_REDIS_URL = redis.url;
  globalThis.__testRedis = { redis, dataDir };
}
