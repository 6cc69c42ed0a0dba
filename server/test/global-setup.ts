import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, startEmbeddedEngine, type EmbeddedEngine } from '../../scripts/lib/embedded-engine';

declare global {
  // Handed from setup to teardown (same process).
  var __testEngine: { engine: EmbeddedEngine; dataDir: string } | undefined;
}

/**
 * One real database engine for the whole run; each test file gets its own database in it.
 * MONGODB_URI set → test against that server (e.g. a MongoDB replica set) instead.
 */
export default async function globalSetup(): Promise<void> {
  // A fresh log folder per run: global-teardown reads everything in it.
  rmSync(join(REPO_ROOT, 'test-output/logs'), { recursive: true, force: true });
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
