import { randomBytes } from 'node:crypto';
import { signedInStaff } from '../../../scripts/lib/cluster-people';
import { openSse, type SseEvent } from '../../../scripts/lib/sse-reader';
import { startTestServer, type TestServer } from '../harness';
import { DURING_HOURS, seedBrigades } from '../cases/fixtures';
import { checkDigit } from '../../src/identity/id-number';

/**
 * Two instances of the app in this process (each its own services, fakes and port) over one database
 * and one Redis, as two servers behind a load balancer would be.
 */
export async function startTwoInstances(redisUrl: string, env: Record<string, string> = {}): Promise<[TestServer, TestServer]> {
  // Redis keys and channels are scoped by MONGODB_DB: this file's instances share them, other files' do not.
  const shared = { REDIS_URL: redisUrl, MONGODB_DB: `redis_${randomBytes(4).toString('hex')}`, ...env };
  const a = await startTestServer({ env: shared });
  const b = await startTestServer({ env: shared });
  a.services.clock = DURING_HOURS;
  b.services.clock = DURING_HOURS;
  await seedBrigades();
  return [a, b];
}

/** A 蓬江 dispatcher's session cookie, signed in through `t` (the cookie works on every instance). */
export async function dispatcherCookie(t: TestServer, username: string): Promise<string> {
  const staff = await signedInStaff({ url: t.url, env: { PASSWORD_HASH_COST: String(t.config.PASSWORD_HASH_COST), STAFF_COOKIE_NAME: t.config.STAFF_COOKIE_NAME } }, { username, role: 'dispatcher', brigadeCode: 'JM-PJ', password: 'redis-test-password' });
  return staff.cookie;
}

export interface QueueStream {
  /** Each `event: queue` snapshot so far, in order. */
  readonly events: any[];
  /** The first snapshot (seen so far or arriving within ~`seconds`) that satisfies `predicate`. */
  next(predicate: (e: any) => boolean, what: string, seconds?: number): Promise<any>;
  close(): void;
}

/** GET /api/v1/queue/stream on `t`, each `event: queue` parsed, in order. */
export async function openQueueStream(t: TestServer, cookie: string): Promise<QueueStream> {
  const stream = await openSse(`${t.url}/api/v1/queue/stream`, { cookie });
  if (stream.status !== 200) {
    stream.close();
    throw new Error(`queue stream answered ${stream.status}`);
  }
  const isQueue = (e: SseEvent) => e.event === 'queue';
  return {
    get events() {
      return stream.events.filter(isQueue).map((e) => e.data);
    },
    next: async (predicate, what, seconds = 10) => (await stream.next((e) => isQueue(e) && predicate(e.data), what, seconds * 1000)).data,
    close: () => stream.close(),
  };
}

export const hasCase = (caseId: string) => (e: any) => e.items.some((i: any) => i.caseId === caseId);

let seq = 0;
/**
 * A driver whose face check failed FACE_MAX_FAILURES (2) times through `a`, so SMS registration is offered,
 * with a licence reserving `phone` in the registry fake of every instance given.
 */
export async function driverPastFace(a: TestServer, phone: string, registries: TestServer[]) {
  const n = String(500 + ++seq);
  const idNumber = `44078319850612${n}` + checkDigit(`44078319850612${n}`);
  for (const t of registries) {
    t.fakes.registry.addLicence(idNumber, { licenceNo: 'L', name: '王五', classes: ['C1'], status: 'valid', validFrom: '2015-01-01', validUntil: '2031-01-01', reservedPhone: phone });
  }
  const session = (await a.http.post('/api/v1/auth/wechat-login', { code: a.fakes.wechat.issueCode(`redis-sms-${n}-${randomBytes(3).toString('hex')}`) })).body;
  const token = session.accessToken as string;
  await a.http.post('/api/v1/verification/profile', { name: '王五', idNumber, phone, agreementVersion: a.config.AGREEMENT_VERSION, agreementAccepted: true }, { token });
  for (let i = 0; i < 2; i++) {
    const started = await a.http.post('/api/v1/verification/face/start', {}, { token });
    a.fakes.wechat.completeFaceVerification(started.body.verifyId, 10004);
    await a.http.post('/api/v1/verification/face/complete', { verifyId: started.body.verifyId }, { token });
  }
  return { sendThrough: (t: TestServer) => t.http.post('/api/v1/verification/sms/send', {}, { token }) };
}
