/**
 * `npm start`: the whole product on one machine — the embedded database engine (unless MONGODB_URI
 * points elsewhere), Redis (unless REDIS_URL does), a local fake of every external service, the demo data, and the server — then
 * prints what to open. Ctrl-C stops everything cleanly; so does any part of it dying (non-zero exit,
 * saying which part and how), and a previous run that was killed is cleared away first.
 */
import { fork } from 'node:child_process';
import { join, relative } from 'node:path';
import mongoose from 'mongoose';
import pinoPretty from 'pino-pretty';
import { DEFAULT_FAKE_CREDENTIALS, startFakes, type RunningFakes } from '../server/fakes';
import { DEMO_ACCOUNTS, DEMO_DRIVER_OPENID, DEMO_DRIVERS, DEMO_PERSON } from './demo/demo-data';
import { verifyDemoDrivers } from './demo/demo-drivers';
import { forgetDemoEndpoints, writeDemoEndpoints } from './demo/demo-endpoints';
import { loadDemoFakes } from './demo/demo-fakes';
import { developApiBaseUrl, miniprogramConfigTarget, writeMiniprogramConfig } from './demo/miniprogram-config';
import { loadDemoHistory } from './demo/history';
import { seedDemoData } from './demo/seed-demo';
import { describeExit, exitOf, stopChild, within, type ExitInfo } from './lib/child-exit';
import { REPO_ROOT, defaultBackend, startEmbeddedEngine, type EmbeddedEngine } from './lib/embedded-engine';
import { exitWithParent } from './lib/exit-with-parent';
import { assertPortFree } from './lib/port-free';
import { startRedis, type LocalRedis } from './lib/redis-server';
import { forgetStackRecord, processRefOf, stopStaleStack, writeStackRecord, type StackRecord } from './lib/stack-record';

const PORT = Number(process.env.PORT ?? 3000);
const HOST = process.env.HOST ?? '127.0.0.1';
const DB_NAME = process.env.MONGODB_DB ?? 'quickhandling';
/** Engine files, local blobs and the record of this run's processes (QH_DATA_DIR: tests use a temp dir). */
const DATA_DIR = process.env.QH_DATA_DIR ?? join(REPO_ROOT, '.data');
const STACK_FILE = join(DATA_DIR, 'stack.json');
/** The server drains for SHUTDOWN_GRACE_MS (10 s by default) before it exits by itself. */
const SERVER_GRACE_MS = (Number(process.env.SHUTDOWN_GRACE_MS) || 10_000) + 5000;

async function main() {
  const started = Date.now();
  let engine: EmbeddedEngine | null = null;
  let redis: LocalRedis | null = null;
  let fakes: RunningFakes | null = null;
  let server: { child: ReturnType<typeof fork>; exited: Promise<ExitInfo> } | null = null;
  // 'unknown' (no /proc, no ps) only means a later start cannot recognise this run's leftovers.
  const record: StackRecord = { supervisor: processRefOf(process.pid) ?? { pid: process.pid, started: 'unknown' } };

  let stopping = false;
  const stop = async (code: number, why?: string) => {
    if (stopping) return;
    stopping = true;
    if (why) console.error(`\n${why}: stopping everything else…`);
    // Whatever hangs below, this process ends; orphans then exit by themselves (parent gone).
    setTimeout(() => {
      console.error('stopping took too long: exiting anyway');
      process.exit(code || 1);
    }, SERVER_GRACE_MS + 20_000).unref();
    if (server) await stopChild(server.child, server.exited, SERVER_GRACE_MS);
    if (fakes) await within(fakes.stop(), 5000);
    await redis?.stop();
    await engine?.stop();
    forgetStackRecord(STACK_FILE);
    forgetDemoEndpoints(DATA_DIR);
    process.exit(code);
  };
  /** A part that ends while we are not stopping has failed, whatever its code: the stack goes down with it. */
  const watch = (name: string, exited: Promise<ExitInfo>, details?: () => string) =>
    void exited.then((info) => {
      if (stopping) return;
      const more = details?.().trim();
      if (more) console.error(`\n${name} said:\n${more}`);
      void stop(info.code || 1, `${name} ${describeExit(info)}`);
    });

  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGHUP', () => void stop(0)); // terminal closed
  // tsx (our parent under npm) killed: nobody could Ctrl-C us any more.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && void stop(1, 'the parent process of npm start is gone'), 1000).unref();

  try {
    await stopStaleStack(STACK_FILE, step);
    await assertPortFree(HOST, PORT);
    writeStackRecord(STACK_FILE, record);

    let uri = process.env.MONGODB_URI;
    if (uri) {
      step(`database: using MONGODB_URI`);
    } else {
      const dbDir = join(DATA_DIR, 'db');
      step(`database: starting the embedded engine (FerretDB on ${defaultBackend() === 'postgresql' ? 'a private PostgreSQL cluster' : 'SQLite'}, data in ${dbDir})…`);
      // Own process group: Ctrl-C reaches only us, and we stop the server before its database.
      engine = await startEmbeddedEngine({ dataDir: dbDir, port: Number(process.env.FERRETDB_PORT ?? 0), detached: true });
      record.engine = processRefOf(engine.pid);
      writeStackRecord(STACK_FILE, record);
      watch('the database engine (FerretDB)', engine.exited, engine.lastOutput);
      uri = engine.uri;
    }

    let redisUrl = process.env.REDIS_URL;
    if (redisUrl) {
      step('redis: using REDIS_URL');
    } else {
      const redisDir = join(DATA_DIR, 'redis');
      step(`redis: starting redis-server on loopback (data in ${redisDir})…`);
      // Own process group like the engine; it has no -exit-with-parent, so a watcher stops it if we are killed.
      redis = await startRedis({ dataDir: redisDir, port: Number(process.env.REDIS_PORT ?? 0), detached: true });
      exitWithParent(redis.pid);
      record.redis = processRefOf(redis.pid);
      writeStackRecord(STACK_FILE, record);
      watch('Redis', redis.exited, redis.lastOutput);
      redisUrl = redis.url;
    }

    step('fakes: starting local WeChat, map, registry, SMS, identity-provider and cloud-recording services…');
    fakes = await startFakes(DEFAULT_FAKE_CREDENTIALS, { acceptUnknownWechatCodesAs: DEMO_DRIVER_OPENID });

    // The demo people's licences, cars and policies (others' checks fail honestly), and the map's roads.
    loadDemoFakes(fakes);

    step('demo data: brigades and accounts…');
    await mongoose.connect(uri, { dbName: DB_NAME });
    const { created } = await seedDemoData();
    if (created.length) step(`demo data: created ${created.join(', ')}`);
    // DEMO_HISTORY_MONTHS=1: a month of generated past cases for the statistics (npm run demo:history for more).
    const months = Number(process.env.DEMO_HISTORY_MONTHS ?? 0);
    if (months > 0) await loadDemoHistory(months, step);
    await mongoose.disconnect();

    step('server: starting…');
    const child = fork(join(REPO_ROOT, 'server/src/main.ts'), [], {
      execArgv: ['--import', 'tsx'],
      env: {
        ...process.env,
        ...fakes.env,
        STORAGE_DIR: process.env.STORAGE_DIR ?? join(DATA_DIR, 'blobs'),
        MONGODB_URI: uri,
        MONGODB_DB: DB_NAME,
        REDIS_URL: redisUrl,
        PORT: String(PORT),
        NODE_ENV: process.env.NODE_ENV ?? 'development',
      },
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      detached: true, // see the engine; the server shuts down by itself when our IPC channel closes
    });
    server = { child, exited: exitOf(child) };
    record.server = processRefOf(child.pid!);
    writeStackRecord(STACK_FILE, record);
    watch('the server', server.exited);
    child.stdout!.pipe(pinoPretty({ colorize: process.stdout.isTTY, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,service' }));
    const port = await new Promise<number>((resolve) => child.on('message', (m: { type?: string; port?: number }) => m.type === 'listening' && resolve(m.port!)));
    if (stopping) return;
    const base = `http://127.0.0.1:${port}`;
    const newlyVerified = await verifyDemoDrivers(base, fakes.wechat);
    if (newlyVerified.length) step(`demo data: verified ${newlyVerified.join('、')} (face check through the WeChat fake)`);
    writeDemoEndpoints(DATA_DIR, { api: base, wechat: fakes.wechat.url, sms: fakes.sms.url, startedAt: new Date().toISOString() });
    const miniprogramConfig = miniprogramConfigTarget(REPO_ROOT);
    const miniprogramUrl = developApiBaseUrl({ PORT: port, HOST, PUBLIC_URL: process.env.PUBLIC_URL });
    if (miniprogramConfig) writeMiniprogramConfig(miniprogramConfig, miniprogramUrl);
    if (!stopping) banner(port, uri, redisUrl, fakes, Date.now() - started, record, miniprogramConfig ? `${miniprogramUrl} (${relative(REPO_ROOT, miniprogramConfig)})` : null);
  } catch (err) {
    if (stopping) return;
    console.error(`\nstart failed: ${(err as Error).message}`);
    await stop(1);
  }
}

function step(text: string) {
  console.log(`▸ ${text}`);
}

function banner(port: number, uri: string, redisUrl: string, fakes: RunningFakes, ms: number, record: StackRecord, miniprogramUrl: string | null) {
  const base = `http://127.0.0.1:${port}`;
  const accounts = DEMO_ACCOUNTS.map((a) => `    ${a.role.padEnd(10)} ${a.username.padEnd(11)} ${a.password}`).join('\n');
  console.log(`
事故视频快处 is running (ready in ${(ms / 1000).toFixed(1)} s)

  Dispatcher console  ${base}/console/
  API                 ${base}/api/v1/…   health ${base}/healthz   ready ${base}/readyz
  Mini-program        open project.config.json in WeChat DevTools; it calls ${miniprogramUrl ?? `its default address (QH_MINIPROGRAM_CONFIG=off)`}
  Database            ${uri} (db "${DB_NAME}")
  Redis               ${redisUrl.replace(/\/\/[^@/]*@/, '//…@')}
  Local fakes         WeChat ${fakes.wechat.url}  map ${fakes.tencentMap.url}  registry ${fakes.registry.url}
  Processes           npm start ${record.supervisor.pid}  server ${record.server?.pid}${record.engine ? `  engine ${record.engine.pid}` : ''}${record.redis ? `  redis ${record.redis.pid}` : ''} (${STACK_FILE})

  Demo accounts (public demo passwords — never use in production):
    role       username    password
${accounts}

  Demo driver for 实人认证: ${DEMO_PERSON.name} / ${DEMO_PERSON.idNumber} / ${DEMO_PERSON.phone} (made up; its licence
  is in the registry fake). DevTools cannot run a face check against the fake: finish one with
    curl -XPOST ${fakes.wechat.url}/__fake/wechat/face -H 'content-type: application/json' \\
         -d '{"verify_id":"<verifyId>","verify_ret":10000}'
  SMS codes "sent" by the fake: ${fakes.sms.url}/__fake/sms/outbox

  Demo drivers, already verified, each with a licence, a car and 交强险 in the registry fake:
${DEMO_DRIVERS.map((d) => `    ${d.openid}  ${d.name}  ${d.plate}  ${d.phone}`).join('\n')}
  Log in as one: a one-time code for its openid, then POST ${base}/api/v1/auth/wechat-login {"code": …}
    curl -XPOST ${fakes.wechat.url}/__fake/wechat/codes -H 'content-type: application/json' -d '{"openid":"demo-driver-1"}'
  DevTools' own logins are ${DEMO_DRIVER_OPENID} (unverified, for the verification paths); switch them with
    curl -XPOST ${fakes.wechat.url}/__fake/wechat/tools-user -H 'content-type: application/json' -d '{"openid":"demo-driver-2"}'
  A whole case through the API: npm run demo:walk

  Press Ctrl-C to stop.
`);
}

void main();
