/**
 * `npm start`: the whole product on one machine — the embedded database engine (unless MONGODB_URI
 * points elsewhere), a local fake of every external service, the demo data, and the server — then
 * prints what to open. Ctrl-C stops everything cleanly.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import mongoose from 'mongoose';
import pinoPretty from 'pino-pretty';
import { DEFAULT_FAKE_CREDENTIALS, startFakes, type RunningFakes } from '../server/fakes';
import { DEMO_ACCOUNTS, DEMO_DRIVER_OPENID, DEMO_PERSON, DEMO_VEHICLES } from './demo/demo-data';
import { seedDemoData } from './demo/seed-demo';
import { REPO_ROOT, startEmbeddedEngine, type EmbeddedEngine } from './lib/embedded-engine';

const PORT = Number(process.env.PORT ?? 3000);
const DB_NAME = process.env.MONGODB_DB ?? 'quickhandling';

async function main() {
  const started = Date.now();
  let engine: EmbeddedEngine | null = null;
  let fakes: RunningFakes | null = null;
  let server: ChildProcess | null = null;

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    await fakes?.stop();
    await engine?.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    let uri = process.env.MONGODB_URI;
    if (uri) {
      step(`database: using MONGODB_URI`);
    } else {
      step('database: starting the embedded engine (FerretDB, data in .data/db)…');
      engine = await startEmbeddedEngine({ dataDir: join(REPO_ROOT, '.data/db'), port: Number(process.env.FERRETDB_PORT ?? 0) });
      uri = engine.uri;
    }

    step('fakes: starting local WeChat, map, registry, SMS, identity-provider and cloud-recording services…');
    fakes = await startFakes(DEFAULT_FAKE_CREDENTIALS, { acceptUnknownWechatCodesAs: DEMO_DRIVER_OPENID });

    fakes.registry.addLicence(DEMO_PERSON.idNumber, {
      licenceNo: DEMO_PERSON.idNumber,
      name: DEMO_PERSON.name,
      classes: ['C1'],
      status: 'valid',
      validFrom: '2016-01-01',
      validUntil: '2032-01-01',
      reservedPhone: DEMO_PERSON.phone,
    });
    // The demo driver's car, so a demo call's back-office checks can pass (and the others' fail honestly).
    for (const vehicle of DEMO_VEHICLES) {
      fakes.registry.addVehicle({ ...vehicle, ownerName: DEMO_PERSON.name, reservedPhone: DEMO_PERSON.phone });
      fakes.registry.addPolicy({ policyNo: `PDZA${vehicle.plate.slice(-5)}2026`, insurer: '中国人民财产保险', plate: vehicle.plate, validFrom: '2026-01-01', validUntil: '2026-12-31' });
    }

    step('demo data: brigades and accounts…');
    await mongoose.connect(uri, { dbName: DB_NAME });
    const { created } = await seedDemoData();
    await mongoose.disconnect();
    if (created.length) step(`demo data: created ${created.join(', ')}`);

    step('server: starting…');
    server = fork(join(REPO_ROOT, 'server/src/main.ts'), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...fakes.env, MONGODB_URI: uri, MONGODB_DB: DB_NAME, PORT: String(PORT), NODE_ENV: process.env.NODE_ENV ?? 'development' },
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    server.stdout!.pipe(pinoPretty({ colorize: process.stdout.isTTY, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,service' }));
    server.once('exit', (code) => {
      console.error(`server exited with code ${code}`);
      void stop(code ?? 1);
    });
    const port = await new Promise<number>((resolve) => server!.on('message', (m: { type?: string; port?: number }) => m.type === 'listening' && resolve(m.port!)));
    banner(port, uri, fakes, Date.now() - started);
  } catch (err) {
    console.error(`\nstart failed: ${(err as Error).message}`);
    await stop(1);
  }
}

function step(text: string) {
  console.log(`▸ ${text}`);
}

function banner(port: number, uri: string, fakes: RunningFakes, ms: number) {
  const base = `http://127.0.0.1:${port}`;
  const accounts = DEMO_ACCOUNTS.map((a) => `    ${a.role.padEnd(10)} ${a.username.padEnd(11)} ${a.password}`).join('\n');
  console.log(`
事故视频快处 is running (ready in ${(ms / 1000).toFixed(1)} s)

  Dispatcher console  ${base}/console/
  API                 ${base}/api/v1/…   health ${base}/healthz   ready ${base}/readyz
  Mini-program        open project.config.json in WeChat DevTools; it calls ${base}
  Database            ${uri} (db "${DB_NAME}")
  Local fakes         WeChat ${fakes.wechat.url}  map ${fakes.tencentMap.url}  registry ${fakes.registry.url}

  Demo accounts (public demo passwords — never use in production):
    role       username    password
${accounts}

  Demo driver for 实人认证: ${DEMO_PERSON.name} / ${DEMO_PERSON.idNumber} / ${DEMO_PERSON.phone} (made up; its licence
  is in the registry fake). DevTools cannot run a face check against the fake: finish one with
    curl -XPOST ${fakes.wechat.url}/__fake/wechat/face -H 'content-type: application/json' \\
         -d '{"verify_id":"<verifyId>","verify_ret":10000}'
  SMS codes "sent" by the fake: ${fakes.sms.url}/__fake/sms/outbox

  Press Ctrl-C to stop.
`);
}

void main();
