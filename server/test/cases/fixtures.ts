import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import { newJoinCode } from '../../src/cases/join-code';
import { Case } from '../../src/cases/case.model';
import type { CaseSnapshot } from '../../src/cases/case-revisions';
import { syncOpenCase } from '../../src/cases/open-cases';
import { syncDeskDay } from '../../src/cases/desk-day';
import { ensureDefaultBrigades } from '../../src/brigades/default-brigades';
import { Driver } from '../../src/drivers/driver.model';
import { DriverIdentity } from '../../src/identity/identity.model';
import { checkDigit } from '../../src/identity/id-number';
import type { TestServer } from '../harness';
import type { HttpResponse } from '../http';

export { ensureDefaultBrigades as seedBrigades };

import { PENGJIANG, QUALIFYING_ANSWERS, pointIn } from '../../../scripts/lib/case-samples';

export { PENGJIANG, QUALIFYING_ANSWERS, pointIn };

export interface TestDriver {
  id: string;
  token: string;
  /** Sent with a logout. */
  refreshToken: string;
  /** Requests as this driver. */
  get: (path: string) => Promise<HttpResponse<any>>;
  post: (path: string, body?: unknown, headers?: Record<string, string>) => Promise<HttpResponse<any>>;
  put: (path: string, body?: unknown) => Promise<HttpResponse<any>>;
  /** The ID number and phone of their (made-up) verified identity. */
  idNumber: string;
  phone: string;
}

let people = 0;
/** A made-up but well-formed ID number (GB 11643 check digit), different for each driver of a run. */
function madeUpIdNumber(): string {
  const first17 = `44070319900101${String(100 + (people % 900)).padStart(3, '0')}`;
  return first17 + checkDigit(first17);
}

/** Signs a driver in through the WeChat fake and marks them verified (the verification paths have their own tests). */
export async function verifiedDriver(t: TestServer, name = randomUUID()): Promise<TestDriver> {
  const session = (await t.http.post('/api/v1/auth/wechat-login', { code: t.fakes.wechat.issueCode(`openid-${name}`) })).body;
  await Driver.updateOne({ _id: session.driver.id }, { $set: { verification: 'verified', verificationMethod: 'face' } });
  people++;
  const idNumber = madeUpIdNumber();
  const phone = `139${String(10_000_000 + people).slice(-8)}`;
  await DriverIdentity.create({
    driverId: session.driver.id,
    name: `测试${people}`,
    idNumberSealed: t.services.idCipher.seal(idNumber),
    idHash: t.services.idCipher.lookupHash(idNumber),
    phone,
    agreement: { version: t.config.AGREEMENT_VERSION, acceptedAt: new Date() },
  });
  const token = session.accessToken as string;
  return {
    id: session.driver.id,
    token,
    refreshToken: session.refreshToken as string,
    idNumber,
    phone,
    get: (path) => t.http.get(path, { token }),
    post: (path, body, headers) => t.http.post(path, body, { token, headers }),
    put: (path, body) => t.http.request('PUT', path, body, { token }),
  };
}

/** The safety checklist confirmed, then a report; returns the response. */
export async function report(
  driver: TestDriver,
  options: { at?: { lat: number; lng: number }; answers?: Partial<typeof QUALIFYING_ANSWERS>; plate?: string; key?: string; accuracyM?: number } = {},
) {
  const safety = (await driver.post('/api/v1/safety-checks', { hazardLightsOn: true, warningTrianglePlaced: true, peopleInSafePlace: true })).body;
  const at = options.at ?? PENGJIANG;
  return driver.post(
    '/api/v1/cases',
    {
      safetyCheckId: safety.safetyCheckId,
      location: { ...at, coordType: 'gcj02', accuracyM: options.accuracyM ?? 15 },
      answers: { ...QUALIFYING_ANSWERS, ...options.answers },
      plate: options.plate ?? '粤J12345',
    },
    { 'idempotency-key': options.key ?? randomUUID() },
  );
}

/** A Beijing wall-clock time inside service hours, for tests that must not depend on when they run. */
export const DURING_HOURS = () => new Date('2026-11-25T10:00:00+08:00');

/**
 * A case document written straight to the database, for tests about what happens to cases that
 * already exist (the queue, transitions); reporting has its own tests through HTTP.
 */
export function caseDoc(overrides: Record<string, unknown> = {}): Record<string, any> {
  const reportedAt = (overrides.reportedAt as Date | undefined) ?? new Date();
  return {
    state: 'queued',
    stateChangedAt: reportedAt,
    reportedAt,
    queuedAt: reportedAt,
    initiatorId: new Types.ObjectId(),
    idempotencyKey: randomUUID(),
    brigadeCode: 'JM-PJ',
    vehicleCount: 2,
    location: { ...PENGJIANG, accuracyM: 10, reportedAs: 'gcj02', confirmedOnMap: false },
    parties: [],
    joinCode: newJoinCode(),
    joinCodeExpiresAt: new Date(reportedAt.getTime() + 30 * 60_000),
    ...overrides,
  };
}

/** Writes caseDoc() and its projections (open_cases, the desk's day), as a change through the case core would. */
export async function insertCase(overrides: Record<string, unknown> = {}) {
  const created = await Case.create(caseDoc(overrides));
  await Promise.all([syncOpenCase(created.toObject() as CaseSnapshot), syncDeskDay(created.toObject() as CaseSnapshot)]);
  return created;
}
