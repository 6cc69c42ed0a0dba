import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pointOnFeature from '@turf/point-on-feature';
import { createApp } from '../../server/src/app';
import { CaseEvent } from '../../server/src/cases/case-event.model';
import { Case } from '../../server/src/cases/case.model';
import { Driver } from '../../server/src/drivers/driver.model';
import { DISTRICTS } from '../../server/src/brigades/districts';
import type { AppServices } from '../../server/src/app-services';
import type { RunningFakes } from '../../server/fakes';

/**
 * 4. One chatty party against everyone else: other drivers' POST /cases before and after one party
 * sends 290 messages of 500 characters on their own queued case (the scenario that once grew the
 * database by 68 MB and made every other report 15× slower). The chat brakes are lifted for the run,
 * so what is measured is where chat is stored, not the limiter refusing it.
 */
const MESSAGES = 290;
const REPORTS = 40;

export async function benchChattyCase(services: AppServices, fakes: RunningFakes, summary: (label: string, samples: number[]) => { p50: number; p99: number }): Promise<void> {
  const app = createApp({ ...services, config: { ...services.config, CHAT_MAX_PER_MINUTE: 100_000, CHAT_MAX_PER_CASE: 100_000 } });
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const [lng, lat] = pointOnFeature(DISTRICTS.find((d) => d.adcode === '440703')!.area).geometry.coordinates as [number, number];
  const answers = { vehicleCount: 2, motorVehiclesOnly: true, anyoneInjured: false, vehiclesDrivable: true, factsDisputed: false, unlicensedDriving: false, drinkOrDrugs: false, anyoneLeftScene: false };
  let n = 0;
  const reportOnce = async () => {
    const session = await post('/api/v1/auth/wechat-login', { code: fakes.wechat.issueCode(`bench-chat-${n++}-${randomUUID()}`) });
    await Driver.updateOne({ _id: session.body.driver.id }, { $set: { verification: 'verified', verificationMethod: 'face' } });
    const auth = { authorization: `Bearer ${session.body.accessToken}` };
    const safety = await post('/api/v1/safety-checks', { hazardLightsOn: true, warningTrianglePlaced: true, peopleInSafePlace: true }, auth);
    const body = { safetyCheckId: safety.body.safetyCheckId, location: { lat: lat + (n % 10) * 0.0001, lng, coordType: 'gcj02', accuracyM: 10 }, answers, plate: '粤J12345' };
    const t0 = performance.now();
    const res = await post('/api/v1/cases', body, { ...auth, 'idempotency-key': randomUUID() });
    const ms = performance.now() - t0;
    if (res.status !== 201) throw new Error(`POST /cases answered ${res.status}: ${JSON.stringify(res.body)}`);
    await post(`/api/v1/cases/${res.body.caseId}/cancel`, {}, auth);
    return { ms, caseId: res.body.caseId as string, auth };
  };
  try {
    const before: number[] = [];
    for (let i = 0; i < REPORTS; i++) before.push((await reportOnce()).ms);

    // The chatty party: a queued case of their own, and 290 long messages on it.
    const session = await post('/api/v1/auth/wechat-login', { code: fakes.wechat.issueCode(`bench-chatty-${randomUUID()}`) });
    await Driver.updateOne({ _id: session.body.driver.id }, { $set: { verification: 'verified', verificationMethod: 'face' } });
    const auth = { authorization: `Bearer ${session.body.accessToken}` };
    const safety = await post('/api/v1/safety-checks', { hazardLightsOn: true, warningTrianglePlaced: true, peopleInSafePlace: true }, auth);
    const chatty = await post('/api/v1/cases', { safetyCheckId: safety.body.safetyCheckId, location: { lat, lng, coordType: 'gcj02', accuracyM: 10 }, answers, plate: '粤J99999' }, { ...auth, 'idempotency-key': randomUUID() });
    for (let i = 0; i < MESSAGES; i++) {
      const res = await post(`/api/v1/cases/${chatty.body.caseId}/messages`, { text: `${i} ${'字'.repeat(495)}` }, auth);
      if (res.status !== 201) throw new Error(`message ${i} answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
    const history = await CaseEvent.find({ caseId: chatty.body.caseId }).lean();
    const caseDoc = await Case.findById(chatty.body.caseId).lean();

    const after: number[] = [];
    for (let i = 0; i < REPORTS; i++) after.push((await reportOnce()).ms);

    console.log(`\nother drivers' POST /cases before and after one party sent ${MESSAGES} messages of 500 characters (${REPORTS} reports each):`);
    const a = summary('POST /cases, before the chat', before);
    const b = summary('POST /cases, after the chat', after);
    console.log(`  ratio after : before                   p50 ${(b.p50 / a.p50).toFixed(2)}×   p99 ${(b.p99 / a.p99).toFixed(2)}×`);
    console.log(`  the chatty case: ${history.length} history entries, ${(JSON.stringify(history).length / 1024).toFixed(1)} KB of history, case document ${(JSON.stringify(caseDoc).length / 1024).toFixed(1)} KB`);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
