import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../src/platform/paths';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { Writable } from 'node:stream';
import type Koa from 'koa';
import mongoose from 'mongoose';
import { createApp } from '../src/app';
import { loadConfig, type Config } from '../src/config';
import { connectDatabase, disconnectDatabase } from '../src/platform/database';
import { createLogger } from '../src/platform/logger';
import type { AppServices } from '../src/app-services';
import { createServices } from '../src/services';
import { startFakes, type RunningFakes } from '../fakes';
import { HttpClient } from './http';

export interface TestServer {
  url: string;
  http: HttpClient;
  fakes: RunningFakes;
  services: AppServices;
  config: Config;
  /** Every log line the app wrote, as parsed JSON. */
  logs: Record<string, unknown>[];
  /** The raw log text, to grep for anything that must never be logged. */
  rawLogs(): string;
  close(): Promise<void>;
}

/**
 * The real app on a real port, with a fresh database in the real engine and a fake of every
 * external service on loopback. One per test file (beforeAll/afterAll).
 */
let openServers = 0;

/** Every test server's log is kept under test-output/logs, where global-teardown checks the whole run's logs. */
export const TEST_LOG_DIR = join(REPO_ROOT, 'test-output/logs');
function keepLogs(name: string, text: string) {
  mkdirSync(TEST_LOG_DIR, { recursive: true });
  writeFileSync(join(TEST_LOG_DIR, `${name}-${process.pid}.log`), text, { flag: 'a' });
}

export interface TestServerOptions {
  env?: Record<string, string>;
  /** Another database server than the run's shared engine (e.g. one a test stops and starts). */
  mongodbUri?: string;
  /** Add middleware after the app's own (e.g. a route that throws, to see the 500 path). */
  extend?: (app: Koa) => void;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const env = options.env ?? {};
  const uri = options.mongodbUri ?? process.env.TEST_MONGODB_URI;
  if (!uri) throw new Error('TEST_MONGODB_URI is not set: run tests through jest (global-setup starts the engine)');
  const fakes = await startFakes();
  // The lowest bcrypt cost the config allows: the tests log in often, and the cost is not what they test.
  // CONSOLE_DIST_DIR: a console built elsewhere (people working side by side each build their own).
  const consoleDist = process.env.CONSOLE_DIST_DIR ? { CONSOLE_DIST_DIR: process.env.CONSOLE_DIST_DIR } : {};
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'debug', PASSWORD_HASH_COST: '10', ...fakes.env, MONGODB_URI: uri, ...consoleDist, ...env });

  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger(config.LOG_LEVEL, sink);

  const dbName = `t_${expect.getState().testPath?.split('/').pop()?.replace(/\W+/g, '_').slice(0, 30) ?? 'x'}_${randomBytes(3).toString('hex')}`;
  // A test file may run a second server (other settings) beside its first: they share one database.
  if (openServers++ === 0) await connectDatabase(uri, dbName, { serverSelectionTimeoutMS: config.DB_UNAVAILABLE_AFTER_MS });
  const services = createServices(config, logger);
  const app = createApp(services);
  options.extend?.(app);
  const server: Server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    http: new HttpClient(url),
    fakes,
    services,
    config,
    get logs() {
      return chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    rawLogs: () => chunks.join(''),
    async close() {
      keepLogs(dbName, chunks.join(''));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await fakes.stop();
      await Promise.all([services.pubsub.close(), services.limits.close()]);
      if (--openServers === 0) {
        await mongoose.connection.dropDatabase().catch(() => undefined);
        await disconnectDatabase();
      }
    },
  };
}
