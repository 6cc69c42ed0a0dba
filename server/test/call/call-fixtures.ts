import { AccessToken } from 'agora-access-token/src/AccessToken';
import { createStaff } from '../../src/staff/staff.service';
import { HttpClient } from '../http';
import type { TestServer } from '../harness';
import { report, verifiedDriver, type TestDriver } from '../cases/fixtures';

export const WRITE = { headers: { 'x-console-request': '1' } };

/** A dispatcher of the brigade, signed in; `desk(path)` is relative to /api/v1/desk/cases/<id>. */
export async function dispatcher(t: TestServer, username: string, brigadeCode = 'JM-PJ') {
  const password = 'desk-password-0001';
  await createStaff({ username, displayName: `接警员${username}`, role: 'dispatcher', brigadeCode, password }, t.config.PASSWORD_HASH_COST);
  const http = new HttpClient(t.url);
  await http.post('/api/v1/staff/login', { username, password });
  return {
    http,
    post: (caseId: string, path: string, body: unknown = {}) => http.post(`/api/v1/desk/cases/${caseId}${path}`, body, WRITE),
    put: (caseId: string, path: string, body: unknown) => http.request('PUT', `/api/v1/desk/cases/${caseId}${path}`, body, WRITE),
    get: (caseId: string, path = '') => http.get(`/api/v1/desk/cases/${caseId}${path}`),
  };
}

/** Party A reports, party B joins by code: a queued two-vehicle case. */
export async function twoPartyCase(t: TestServer): Promise<{ caseId: string; a: TestDriver; b: TestDriver }> {
  const a = await verifiedDriver(t);
  const reported = (await report(a, { plate: '粤J10001' })).body;
  const b = await verifiedDriver(t);
  await b.post('/api/v1/cases/join', { code: reported.joinCode, plate: '粤J20002', factsConfirmed: true });
  return { caseId: reported.caseId, a, b };
}

/**
 * What an Agora token grants, checked the strong way: rebuilding it from its own salt, time and
 * privileges with the given channel, uid and certificate must give back exactly the same token.
 */
export function decodeRtcToken(token: string, appId: string, certificate: string, channel: string, uid: number): { valid: boolean; expiresAt: number } {
  const parsed = new AccessToken(appId, certificate, channel, uid);
  if (!parsed.fromString(token)) return { valid: false, expiresAt: 0 };
  const rebuilt = parsed.build();
  return { valid: rebuilt === token, expiresAt: parsed.messages[1] ?? 0 };
}
