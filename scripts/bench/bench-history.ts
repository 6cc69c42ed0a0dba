import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pointOnFeature from '@turf/point-on-feature';
import mongoose, { Types } from 'mongoose';
import { createApp } from '../../server/src/app';
import { transition } from '../../server/src/cases/case-revisions';
import { Case } from '../../server/src/cases/case.model';
import { newJoinCode } from '../../server/src/cases/join-code';
import { Driver } from '../../server/src/drivers/driver.model';
import { DISTRICTS } from '../../server/src/brigades/districts';
import type { AppServices } from '../../server/src/app-services';
import { createStaff } from '../../server/src/staff/staff.service';
import { Staff } from '../../server/src/staff/staff.model';
import type { RunningFakes } from '../../server/fakes';

/**
 * 5. Latency that does not grow with history: each database-bound request measured with no finished
 * cases and with HISTORY of them (direct inserts, as years of a city would leave), each against an
 * indexed findOneAndUpdate by `_id` on a collection of the same size, interleaved, in the same run.
 * Goals: a transition's p99 ≤ 3× that baseline; each request's p50 with the history ≤ 1.2× without.
 */
const HISTORY = Number(process.env.BENCH_HISTORY ?? 50_000);
const ROUNDS = 60;
const BATCH = 1_000;

type Summary = (label: string, samples: number[]) => { p50: number; p99: number };
type Figures = Record<string, { p50: number; p99: number }>;

export async function benchHistory(services: AppServices, fakes: RunningFakes, summary: Summary): Promise<void> {
  const app = createApp(services);
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown, raw?: Uint8Array) => {
    const res = await fetch(base + path, {
      method,
      headers: { ...(raw ? { 'content-type': 'application/octet-stream' } : { 'content-type': 'application/json' }), ...headers },
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const json = (await res.json()) as Record<string, any>;
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(json)}`);
    return json;
  };
  const [lng, lat] = pointOnFeature(DISTRICTS.find((d) => d.adcode === '440703')!.area).geometry.coordinates as [number, number];
  const answers = { vehicleCount: 2, motorVehiclesOnly: true, anyoneInjured: false, vehiclesDrivable: true, factsDisputed: false, unlicensedDriving: false, drinkOrDrugs: false, anyoneLeftScene: false };
  const baseline = mongoose.connection.db!.collection<{ _id: Types.ObjectId; n: number; pad: string }>('bench_history_baseline');

  let drivers = 0;
  const newDriver = async () => {
    const session = await call('POST', '/api/v1/auth/wechat-login', {}, { code: fakes.wechat.issueCode(`bench-history-${drivers++}-${randomUUID()}`) });
    await Driver.updateOne({ _id: session.driver.id }, { $set: { verification: 'verified', verificationMethod: 'face' } });
    return { id: session.driver.id as string, auth: { authorization: `Bearer ${session.accessToken}` } };
  };
  await createStaff({ username: 'bench-desk', displayName: '压测接警员', role: 'dispatcher', brigadeCode: 'JM-PJ', password: 'bench-desk-password' }, services.config.PASSWORD_HASH_COST);
  const staff = (await Staff.findOne({ username: 'bench-desk' }).lean())!;
  const deskCookie = { cookie: `${services.config.STAFF_COOKIE_NAME}=${services.tokens.signStaffSession(String(staff._id), 'dispatcher', staff.sessionVersion).token}` };

  const measure = async (): Promise<Record<string, number[]>> => {
    const samples: Record<string, number[]> = { baseline: [], report: [], transition: [], 'case view poll': [], 'queue read': [], 'chunk PUT': [] };
    // A party on a call with an upload in flight, and a queued case to move back and forth.
    const party = await newDriver();
    const now = services.clock();
    const onCall = await Case.create({
      state: 'in_call', stateChangedAt: now, reportedAt: now, queuedAt: now, answeredAt: now, initiatorId: party.id, idempotencyKey: randomUUID(), brigadeCode: 'JM-PJ', vehicleCount: 2,
      location: { lat, lng, accuracyM: 10, reportedAs: 'gcj02', confirmedOnMap: false }, joinCode: newJoinCode(), joinCodeExpiresAt: new Date(now.getTime() + 1800_000),
      parties: [{ driverId: party.id, label: 'A', plate: '粤J12345', joinedAt: now, factsConfirmedAt: now, via: 'report' }],
    });
    const chunkSize = services.config.UPLOAD_CHUNK_BYTES;
    const upload = await call('POST', `/api/v1/cases/${String(onCall._id)}/uploads`, party.auth, { uploadKey: randomUUID(), kind: 'overview_behind', mimeType: 'video/mp4', size: chunkSize * ROUNDS });
    const chunk = new Uint8Array(Buffer.alloc(chunkSize, 7));
    const mover = await newDriver();
    const safety0 = await call('POST', '/api/v1/safety-checks', mover.auth, { hazardLightsOn: true, warningTrianglePlaced: true, peopleInSafePlace: true });
    const moving = await call('POST', '/api/v1/cases', { ...mover.auth, 'idempotency-key': randomUUID() }, { safetyCheckId: safety0.safetyCheckId, location: { lat, lng, coordType: 'gcj02', accuracyM: 10 }, answers, plate: '粤J54321' });
    const reporters = await Promise.all(Array.from({ length: ROUNDS }, async () => {
      const d = await newDriver();
      const safety = await call('POST', '/api/v1/safety-checks', d.auth, { hazardLightsOn: true, warningTrianglePlaced: true, peopleInSafePlace: true });
      return { ...d, safetyCheckId: safety.safetyCheckId as string };
    }));
    const someId = (await baseline.findOne({}, { projection: { _id: 1 } }))!._id;
    const desk = { kind: 'dispatcher' as const, id: String(staff._id) };

    const timed = async (label: string, fn: () => Promise<unknown>) => {
      const t0 = performance.now();
      await fn();
      samples[label]!.push(performance.now() - t0);
    };
    for (let i = 0; i < ROUNDS; i++) {
      // Interleaved, so every figure sees the same engine state and machine load.
      await timed('baseline', () => baseline.findOneAndUpdate({ _id: someId }, { $inc: { n: 1 } }, { returnDocument: 'after' }));
      const r = reporters[i]!;
      let caseId = '';
      await timed('report', async () => {
        caseId = (await call('POST', '/api/v1/cases', { ...r.auth, 'idempotency-key': randomUUID() }, { safetyCheckId: r.safetyCheckId, location: { lat: lat + (i % 10) * 0.0002, lng, coordType: 'gcj02', accuracyM: 10 }, answers, plate: '粤J12345' })).caseId;
      });
      await timed('transition', () => transition(moving.caseId, i % 2 === 0 ? 'answer' : 'dispatcher_dropped', desk));
      await timed('case view poll', () => call('GET', `/api/v1/cases/${String(onCall._id)}/call`, party.auth));
      await timed('queue read', () => call('GET', '/api/v1/queue', deskCookie));
      await timed('chunk PUT', () => call('PUT', `/api/v1/uploads/${upload.uploadId}/chunks/${i}`, party.auth, undefined, chunk));
      // The queue stays short, as dispatchers keep it (untimed).
      await call('POST', `/api/v1/cases/${caseId}/cancel`, r.auth, {});
    }
    return samples;
  };

  /** Finished cases and baseline documents, `count` more of each, in batches. */
  const grow = async (count: number) => {
    const started = Date.now();
    for (let done = 0; done < count; done += BATCH) {
      const n = Math.min(BATCH, count - done);
      const at = new Date(Date.now() - 86_400_000 * (1 + Math.random() * 300));
      await Case.insertMany(
        Array.from({ length: n }, (_, i) => ({
          state: 'closed', rev: 9, stateChangedAt: at, reportedAt: at, initiatorId: new Types.ObjectId(), idempotencyKey: randomUUID(), brigadeCode: `JM-${(done + i) % 7}`,
          districtName: '蓬江区', address: '江门市蓬江区建设路', location: { lat, lng, accuracyM: 10, reportedAs: 'gcj02', confirmedOnMap: false }, vehicleCount: 2,
          // Distinct by construction: 50 000 random 6-character codes would collide on the unique index.
          joinCode: `H${(done + i).toString(36).toUpperCase().padStart(5, '0')}`, joinCodeExpiresAt: at, handlingSeconds: 240 + ((done + i) % 120),
          parties: [{ driverId: new Types.ObjectId(), label: 'A', plate: '粤J12345', joinedAt: at, factsConfirmedAt: at, via: 'report' }, { driverId: new Types.ObjectId(), label: 'B', plate: '粤J67890', joinedAt: at, factsConfirmedAt: at, via: 'code' }],
        })),
        { lean: true },
      );
      await baseline.insertMany(Array.from({ length: n }, () => ({ _id: new Types.ObjectId(), n: 0, pad: 'x'.repeat(1500) })));
    }
    return (Date.now() - started) / 1000;
  };

  try {
    await baseline.insertOne({ _id: new Types.ObjectId(), n: 0, pad: '' });
    const empty = await measure();
    const seconds = await grow(HISTORY);
    const full = await measure();

    console.log(`\nlatency with no finished cases and with ${HISTORY.toLocaleString('en')} (inserted in ${seconds.toFixed(0)} s), ${ROUNDS} rounds each, interleaved:`);
    const at0: Figures = {};
    const atN: Figures = {};
    for (const label of Object.keys(empty)) {
      at0[label] = summary(`${label}, empty history`, empty[label]!);
      atN[label] = summary(`${label}, ${HISTORY / 1000}k cases`, full[label]!);
    }
    console.log('  p50 with the history : without (goal ≤ 1.2×)');
    for (const label of Object.keys(empty)) if (label !== 'baseline') console.log(`    ${label.padEnd(16)} ${(atN[label]!.p50 / at0[label]!.p50).toFixed(2)}×`);
    console.log(`  transition p99 : baseline p99 with the history (goal ≤ 3×)   ${(atN.transition!.p99 / atN.baseline!.p99).toFixed(1)}×`);
    for (const label of Object.keys(empty)) if (label !== 'baseline') console.log(`    ${label.padEnd(16)} p50 ${(atN[label]!.p50 / atN.baseline!.p50).toFixed(1)}× the baseline's p50`);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
