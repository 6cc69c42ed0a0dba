import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * Where the running `npm start` can be reached — the API and the local fakes, whose ports are free ones
 * picked at start — kept beside the stack record so `npm run demo:walk` (and anyone) can find them.
 */
const endpoints = z.object({ api: z.string().url(), wechat: z.string().url(), sms: z.string().url(), startedAt: z.string() });
export type DemoEndpoints = z.infer<typeof endpoints>;

export const demoEndpointsFile = (dataDir: string) => join(dataDir, 'demo-endpoints.json');

export function writeDemoEndpoints(dataDir: string, value: DemoEndpoints): void {
  writeFileSync(demoEndpointsFile(dataDir), `${JSON.stringify(value, null, 2)}\n`);
}

export function forgetDemoEndpoints(dataDir: string): void {
  rmSync(demoEndpointsFile(dataDir), { force: true });
}

/** null when no `npm start` is running on this data folder (or it is from before this file existed). */
export function readDemoEndpoints(dataDir: string): DemoEndpoints | null {
  try {
    return endpoints.parse(JSON.parse(readFileSync(demoEndpointsFile(dataDir), 'utf8')));
  } catch {
    return null;
  }
}
