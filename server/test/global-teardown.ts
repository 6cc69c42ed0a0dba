import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const handle = globalThis.__testEngine;
  if (!handle) return;
  await handle.engine.stop();
  rmSync(handle.dataDir, { recursive: true, force: true });
}
