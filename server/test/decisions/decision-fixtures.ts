import { Types } from 'mongoose';
import { createStaff } from '../../src/staff/staff.service';
import { HttpClient } from '../http';
import type { TestServer } from '../harness';
import type { StaffRole } from '../../../typings/api/auth';
import { insertCase } from '../cases/fixtures';
import { WRITE } from '../call/call-fixtures';

let counter = 0;

/** A member of staff of the role, signed in; paths are relative to /api/v1. */
export async function signedInStaff(t: TestServer, role: StaffRole, brigadeCode: string | null = 'JM-PJ') {
  const username = `${role}${++counter}${Date.now() % 100000}`;
  const password = 'decision-password-01';
  await createStaff({ username, displayName: `${role === 'officer' ? '民警' : '员'}${counter}`, role, brigadeCode, password }, t.config.PASSWORD_HASH_COST);
  const http = new HttpClient(t.url);
  await http.post('/api/v1/staff/login', { username, password });
  return {
    username,
    http,
    get: (path: string) => http.get(`/api/v1${path}`),
    put: (path: string, body: unknown) => http.request('PUT', `/api/v1${path}`, body, WRITE),
    post: (path: string, body: unknown) => http.post(`/api/v1${path}`, body, WRITE),
  };
}

let phones = 0;

export const party = (label: string, plate: string, driverId = new Types.ObjectId()) => ({
  driverId,
  label,
  plate,
  joinedAt: new Date(),
  factsConfirmedAt: new Date(),
  via: label === 'A' ? 'report' : 'code',
  // A phone of its own per party: the SMS fake, like carriers, sends one message per phone and template a minute.
  info: { driverName: `司机${label}`, vehicleType: '小型轿车', insurer: '人保', policyNo: `PDZA2026${label}0001`, phone: `137${String(10_000_000 + ++phones).slice(-8)}` },
});

/** A two-vehicle case released by a dispatcher, as the call leaves it. */
export async function releasedCase(overrides: Record<string, unknown> = {}) {
  const created = await insertCase({
    state: 'released',
    releasedAt: new Date(Date.now() - 60_000),
    parties: [party('A', '粤J10001'), party('B', '粤J20002')],
    address: '江门市蓬江区建设路',
    ...overrides,
  });
  return String(created._id);
}

export const decision = (grades: Record<string, string>, reason: string | null = null) => ({
  parties: Object.entries(grades).map(([label, liability]) => ({ label, liability, basis: liability === 'none' ? '无过错' : '未保持安全距离', damages: 'insurance' })),
  reason,
  weather: '晴',
  accidentType: '追尾',
  facts: 'A 车在建设路由北向南行驶，追尾前方等候信号灯的 B 车。',
});
