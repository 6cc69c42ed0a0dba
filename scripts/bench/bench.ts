/**
 * `npm run bench`: speed figures, measured here rather than asserted in tests.
 *  1. The eligibility rules (hours, place, roads, case) over 20 000 random points in and around
 *     Jiangmen, in process: what one check costs the server besides its database and geocoder calls.
 *  2. POST /cases through HTTP (auth, validation, every rule, the geocoder fake, the insert, the
 *     event log) against a bare findOneAndUpdate round trip, on the same engine in the same run.
 *  3. An ~8 MB evidence photo through the chunked upload over HTTP against fs.copyFile of the same file.
 *  4. Other drivers' POST /cases before and after one party floods their own case with chat.
 *  5. Report, transition, case view poll, queue read and chunk PUT with 0 and 50 000 finished cases.
 *  6. Certificate PDF generation (sign + render), one after another: p50/p99 and PDFs per second.
 *  7. The statistics page over a year of generated cases, and what its rollups cost a transition.
 * MONGODB_URI set → that server instead of the embedded engine.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pointOnFeature from '@turf/point-on-feature';
import mongoose from 'mongoose';
import type { Collection } from 'mongodb';
import { transition } from '../../server/src/cases/case-revisions';
import { startFakes } from '../../server/fakes';
import { createApp } from '../../server/src/app';
import { ensureDefaultBrigades } from '../../server/src/brigades/default-brigades';
import { loadConfig } from '../../server/src/config';
import { Driver } from '../../server/src/drivers/driver.model';
import { DISTRICTS } from '../../server/src/brigades/districts';
import { checkCaseAnswers } from '../../server/src/eligibility/case-rules';
import { checkHours, DEFAULT_CALENDAR } from '../../server/src/eligibility/hours';
import { checkPlace } from '../../server/src/eligibility/place';
import { checkRoads, DEFAULT_EXCLUDED_NAME_PATTERNS } from '../../server/src/eligibility/roads';
import { currentRoadIndex } from '../../server/src/eligibility/road-layer.service';
import { connectDatabase, disconnectDatabase } from '../../server/src/platform/database';
import { createLogger } from '../../server/src/platform/logger';
import { createServices } from '../../server/src/services';
import { REPO_ROOT, startEmbeddedEngine, type EmbeddedEngine } from '../lib/embedded-engine';
import { benchCertificates } from './bench-certificates';
import { benchChattyCase } from './bench-chatty-case';
import { benchEvidenceUpload } from './bench-evidence-upload';
import { benchHistory } from './bench-history';
import { benchStatistics } from './bench-statistics';

const POINTS = 20_000;
const REQUESTS = 300;
const WARM_UP = 30;
const TRANSITIONS = 300;
/** Cases waiting at once in one brigade during the run. */
const QUEUE_DEPTH = 10;

function percentile(sortedMs: number[], p: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.floor((p / 100) * sortedMs.length))]!;
}
const summary = (label: string, samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const f = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`);
  console.log(`  ${label.padEnd(34)} p50 ${f(percentile(sorted, 50)).padStart(9)}   p99 ${f(percentile(sorted, 99)).padStart(9)}   (n=${samples.length})`);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
};

async function main() {
  let engine: EmbeddedEngine | null = null;
  let dataDir: string | null = null;
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    // Under the ignored data folder: the postgres user must be able to reach the cluster.
    dataDir = join(REPO_ROOT, '.data', `bench-${Date.now()}`);
    engine = await startEmbeddedEngine({ dataDir });
    uri = engine.uri;
  }
  const fakes = await startFakes();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'warn', ...fakes.env, MONGODB_URI: uri });
  await connectDatabase(uri, `bench_${Date.now()}`);
  const services = createServices(config, createLogger('warn'));
  // Judge at 10:00 Beijing time, so the figures do not depend on when the bench runs.
  services.clock = () => new Date('2026-11-25T10:00:00+08:00');
  await ensureDefaultBrigades();

  try {
    console.log(`\nengine: ${engine ? `embedded FerretDB (${engine.backend})` : uri.replace(/\/\/[^@]*@/, '//…@')}\n`);

    // 1. The rules alone.
    const { index } = await currentRoadIndex();
    const answers = { vehicleCount: 2, motorVehiclesOnly: true, anyoneInjured: false, vehiclesDrivable: true, factsDisputed: false, unlicensedDriving: false, drinkOrDrugs: false, anyoneLeftScene: false };
    const now = services.clock();
    const samples: number[] = [];
    let eligible = 0;
    for (let i = 0; i < POINTS; i++) {
      // Jiangmen's bounding box plus a margin, so some points fall outside or out at sea.
      const lat = 21.4 + Math.random() * 1.5;
      const lng = 111.9 + Math.random() * 1.4;
      const started = performance.now();
      const hours = checkHours(now, DEFAULT_CALENDAR, [], 'JM-PJ');
      const place = checkPlace({ lat, lng, coordType: 'gcj02' });
      const roads = checkRoads({ lat: place.point.lat, lng: place.point.lng, street: null, address: null }, index, { bufferM: config.ROAD_BUFFER_M, excludedNamePatterns: DEFAULT_EXCLUDED_NAME_PATTERNS });
      const caseFailures = checkCaseAnswers(answers);
      samples.push(performance.now() - started);
      if (hours.ok && place.ok && roads.ok && caseFailures.length === 0) eligible++;
    }
    console.log(`eligibility rules, ${POINTS} random points (${eligible} eligible):`);
    const rules = summary('hours + place + roads + case', samples);

    // 2. POST /cases against a bare findOneAndUpdate round trip.
    const app = createApp(services);
    const server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const post = async (path: string, body: unknown, headers: Record<string, string>) => {
      const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as Record<string, string> };
    };
    // One verified driver per report (a driver has one open case at a time), signed in beforehand.
    const drivers: { token: string; safetyCheckId: string }[] = [];
    for (let i = 0; i < REQUESTS + WARM_UP; i++) {
      const session = await post('/api/v1/auth/wechat-login', { code: fakes.wechat.issueCode(`bench-${i}`) }, {});
      const driverId = (session.body.driver as unknown as { id: string }).id;
      await Driver.updateOne({ _id: driverId }, { $set: { verification: 'verified', verificationMethod: 'face' } });
      const auth = { authorization: `Bearer ${session.body.accessToken}` };
      const safety = await post('/api/v1/safety-checks', { hazardLightsOn: true, warningTrianglePlaced: true, peopleInSafePlace: true }, auth);
      drivers.push({ token: session.body.accessToken!, safetyCheckId: safety.body.safetyCheckId! });
    }
    const collection = mongoose.connection.db!.collection<{ _id: string; n: number }>('bench_counter');
    await collection.insertOne({ _id: 'c', n: 0 });

    const [pjLng, pjLat] = pointOnFeature(DISTRICTS.find((d) => d.adcode === '440703')!.area).geometry.coordinates as [number, number];
    const pengjiang = { lat: pjLat, lng: pjLng };
    const recent: { caseId: string; token: string }[] = [];
    const createMs: number[] = [];
    const bareMs: number[] = [];
    for (const [i, driver] of drivers.entries()) {
      // Interleaved, so both see the same engine state and machine load.
      const t0 = performance.now();
      await collection.findOneAndUpdate({ _id: 'c' }, { $inc: { n: 1 } }, { returnDocument: 'after' });
      const t1 = performance.now();
      // Around a point of 蓬江区 clear of the demo excluded roads, so every report is queued.
      const at = { lat: pengjiang.lat + ((i % 20) - 10) * 0.0001, lng: pengjiang.lng + (Math.floor(i / 20) - 8) * 0.0001 };
      const res = await post(
        '/api/v1/cases',
        { safetyCheckId: driver.safetyCheckId, location: { ...at, coordType: 'gcj02', accuracyM: 10 }, answers, plate: '粤J12345' },
        { authorization: `Bearer ${driver.token}`, 'idempotency-key': randomUUID() },
      );
      const t2 = performance.now();
      if (res.status !== 201 || res.body.state !== 'queued') throw new Error(`POST /cases answered ${res.status}: ${JSON.stringify(res.body)}`);
      // Steady state: dispatchers keep the queue short while the history of cases keeps growing.
      // Cases older than the last QUEUE_DEPTH leave the queue (untimed), as if answered.
      recent.push({ caseId: res.body.caseId!, token: driver.token });
      if (recent.length > QUEUE_DEPTH) {
        const done = recent.shift()!;
        await post(`/api/v1/cases/${done.caseId}/cancel`, {}, { authorization: `Bearer ${done.token}` });
      }
      if (i >= WARM_UP) {
        bareMs.push(t1 - t0);
        createMs.push(t2 - t1);
      }
    }
    console.log(`\nPOST /cases vs a bare findOneAndUpdate, ${REQUESTS} each, interleaved (queue ${QUEUE_DEPTH} deep, history growing):`);
    const bare = summary('findOneAndUpdate round trip', bareMs);
    const create = summary('POST /cases (HTTP, end to end)', createMs);
    console.log(`  ratio POST /cases : findOneAndUpdate   p50 ${(create.p50 / bare.p50).toFixed(1)}×   p99 ${(create.p99 / bare.p99).toFixed(1)}×`);
    await benchTransitions(recent.at(-1)!.caseId, collection);
    console.log(`\nrules p50 ${(rules.p50 * 1000).toFixed(1)} µs, p99 ${(rules.p99 * 1000).toFixed(1)} µs`);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));

    // 3. Evidence upload throughput (added after the figures above; see benchEvidenceUpload).
    await benchEvidenceUpload(services, fakes, summary);
    // 4. One chatty party against everyone else's reports (bench-chatty-case.ts).
    await benchChattyCase(services, fakes, summary);
    // 5. Each database-bound request with and without a large history (bench-history.ts).
    await benchHistory(services, fakes, summary);
    // 6. The certificate's PDF (bench-certificates.ts).
    await benchCertificates(summary);
    // 7. The statistics page and its rollups (bench-statistics.ts; it empties the database first).
    await benchStatistics(services, summary);
  } finally {
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await disconnectDatabase();
    await fakes.stop();
    await engine?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * One lifecycle transition (claim the event by primary key, apply it, refresh open_cases) against a
 * bare findOneAndUpdate, interleaved: answer and hand back the same queued case, TRANSITIONS times.
 */
async function benchTransitions(caseId: string, collection: Collection<{ _id: string; n: number }>) {
  const transitionMs: number[] = [];
  const bareMs: number[] = [];
  const desk = { kind: 'dispatcher' as const, id: 'bench-desk' };
  for (let i = 0; i < TRANSITIONS; i++) {
    const t0 = performance.now();
    await collection.findOneAndUpdate({ _id: 'c' }, { $inc: { n: 1 } }, { returnDocument: 'after' });
    const t1 = performance.now();
    await transition(caseId, i % 2 === 0 ? 'answer' : 'dispatcher_dropped', desk);
    transitionMs.push(performance.now() - t1);
    bareMs.push(t1 - t0);
  }
  console.log(`\na case transition vs a bare findOneAndUpdate, ${TRANSITIONS} each, interleaved:`);
  const bare = summary('findOneAndUpdate round trip', bareMs);
  const moved = summary('transition (answer / hand back)', transitionMs);
  console.log(`  ratio transition : findOneAndUpdate    p50 ${(moved.p50 / bare.p50).toFixed(1)}×   p99 ${(moved.p99 / bare.p99).toFixed(1)}×`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
