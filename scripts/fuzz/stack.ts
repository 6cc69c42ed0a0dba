import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { startFakes, type RunningFakes } from '../../server/fakes';
import { killHard, startServerProcess, type ServerProcess } from '../../server/test/chaos/server-process';
import { DEMO_ACCOUNTS, DEMO_DRIVERS } from '../demo/demo-data';
import { codesFromFake, signIn, verifyDemoDrivers } from '../demo/demo-drivers';
import { loadDemoFakes } from '../demo/demo-fakes';
import { seedDemoData } from '../demo/seed-demo';
import { within } from '../lib/child-exit';
import { openAllDay } from '../lib/cluster-people';
import { startEmbeddedEngine, type EmbeddedEngine } from '../lib/embedded-engine';
import { freePort } from '../lib/free-port';

export type FuzzRole = 'anonymous' | 'driver' | 'dispatcher' | 'officer' | 'reviewer' | 'ops';

/**
 * Driver first, ops last: an ops account may change what the others meet (service hours, a suspension),
 * so it goes after them. Credentials are taken right before each role's run.
 */
export const FUZZ_ROLES: readonly FuzzRole[] = ['anonymous', 'driver', 'dispatcher', 'officer', 'reviewer', 'ops'];

/**
 * Limits raised for the fuzz stack, only through the config's own variables: with the defaults most of a
 * run would be 429s after the first minute and the handlers behind them would go unexercised. Long polls
 * answer at once so a worker is not parked 25 s on each.
 */
export const FUZZ_ENV_OVERRIDES: Readonly<Record<string, string>> = {
  CASE_EDIT_MAX_PER_MINUTE: '1000000',
  CHAT_MAX_PER_MINUTE: '1000000',
  CHAT_MAX_PER_CASE: '1000000',
  CERT_VERIFY_MAX_PER_MINUTE: '1000000',
  INSURER_HANDOFF_MAX_PER_MINUTE: '1000000',
  JOIN_MAX_FAILURES: '1000000',
  LOGIN_MAX_FAILURES: '1000000',
  FACE_MAX_FAILURES: '1000000',
  LONG_POLL_SECONDS: '1',
  DRIVER_ACCESS_TTL_SECONDS: String(6 * 3600),
};

export interface FuzzStack {
  base: string;
  /** Request headers that authenticate as the role (fresh: signs in again each call). */
  credentials(role: FuzzRole): Promise<Record<string, string>>;
  /** The server's recent output, to show next to a 5xx. */
  serverOutput(): string;
  stop(): Promise<void>;
}

export interface FuzzStackOptions {
  /** An engine already running (the jest run's); otherwise an embedded engine in a temp folder. */
  mongodbUri?: string;
  log?: (line: string) => void;
}

/** The whole product on loopback: engine, fakes, demo brigades and accounts, an open calendar, the server. */
export async function startFuzzStack(options: FuzzStackOptions = {}): Promise<FuzzStack> {
  const log = options.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'qh-fuzz-'));
  // The engine's PostgreSQL runs as the postgres user, which must be able to reach its folder.
  chmodSync(dir, 0o755);
  const dbName = `fuzz_${randomBytes(3).toString('hex')}`;
  let engine: EmbeddedEngine | null = null;
  let fakes: RunningFakes | null = null;
  let server: ServerProcess | null = null;
  const stop = async () => {
    if (server) await killHard(server);
    if (fakes) await within(fakes.stop(), 5000);
    if (engine) await engine.stop();
    else if (options.mongodbUri) await dropDatabase(options.mongodbUri, dbName);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    let uri = options.mongodbUri;
    if (!uri) {
      log('database: starting the embedded engine in a temp folder…');
      engine = await startEmbeddedEngine({ dataDir: join(dir, 'db'), fast: true });
      uri = engine.uri;
    }
    fakes = await startFakes();
    loadDemoFakes(fakes);

    log('demo data: brigades, one account per staff role, an open service calendar…');
    // The demo seeding uses the models, bound to mongoose's default connection.
    await mongoose.connect(uri, { dbName });
    try {
      await seedDemoData(10);
      // Open all day, so the run does not depend on the hour it happens at.
      await openAllDay('fuzz');
    } finally {
      await mongoose.disconnect();
    }

    const port = await freePort();
    log('server: starting…');
    server = await startServerProcess({
      ...fakes.env,
      ...FUZZ_ENV_OVERRIDES,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      PASSWORD_HASH_COST: '10',
      HOST: '127.0.0.1',
      PORT: String(port),
      MONGODB_URI: uri,
      MONGODB_DB: dbName,
      STORAGE_DIR: join(dir, 'blobs'),
    }, 60_000);
    const base = `http://127.0.0.1:${port}`;
    const wechat = fakes.wechat;
    await verifyDemoDrivers(base, wechat);
    return {
      base,
      serverOutput: () => server?.output() ?? '',
      stop,
      async credentials(role): Promise<Record<string, string>> {
        if (role === 'anonymous') return {};
        if (role === 'driver') {
          const api = await signIn(base, DEMO_DRIVERS[0], codesFromFake(wechat));
          return { authorization: `Bearer ${api.token}` };
        }
        return { cookie: await staffCookie(base, role), 'x-console-request': '1' };
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function dropDatabase(uri: string, dbName: string): Promise<void> {
  const conn = await mongoose.createConnection(uri, { dbName }).asPromise();
  await conn.dropDatabase().catch(() => undefined);
  await conn.close();
}

async function staffCookie(base: string, role: Exclude<FuzzRole, 'anonymous' | 'driver'>): Promise<string> {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role)!;
  const res = await fetch(`${base}/api/v1/staff/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-console-request': '1' },
    body: JSON.stringify({ username: account.username, password: account.password }),
  });
  if (res.status !== 200) throw new Error(`${role} could not sign in (${res.status}): ${await res.text()}`);
  // name=value of each cookie set (the session, and the remembered device).
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
}
