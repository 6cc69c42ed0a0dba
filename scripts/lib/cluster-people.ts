/**
 * The people a run against a cluster (scripts/lib/cluster.ts) needs: verified drivers signed in
 * through the balancer, staff signed in with their cookie, and a service calendar open all day so a
 * run does not depend on the hour it starts at. Writes go straight to the cluster's database (this
 * process connects mongoose to it with `connectTo`); sign-ins go through HTTP like a phone's.
 */
import { ServiceCalendarRevision } from '../../server/src/eligibility/service-calendar.model';
import { Driver } from '../../server/src/drivers/driver.model';
import { DriverIdentity } from '../../server/src/identity/identity.model';
import { createIdCipher } from '../../server/src/identity/id-cipher';
import { checkDigit } from '../../server/src/identity/id-number';
import { createStaff } from '../../server/src/staff/staff.service';
import { idCipherKeys, loadConfig } from '../../server/src/config';
import { connectDatabase } from '../../server/src/platform/database';
import type { StaffRole } from '../../typings/api/auth';
import type { Cluster } from './cluster';

export interface ClusterDriver {
  id: string;
  token: string;
  /** Spent by a refresh; sent with a logout. */
  refreshToken: string;
  /** `authorization: Bearer …` */
  auth: Record<string, string>;
}

export interface ClusterStaff {
  username: string;
  /** `qh_staff=…` for the cookie header. */
  cookie: string;
  /** Read headers; writes add `x-console-request: 1` (see WRITE_HEADERS). */
  headers: Record<string, string>;
}

/** The console sends this on every write (CSRF guard, server/src/auth/require-role.ts). */
export const WRITE_HEADERS = { 'x-console-request': '1' };

export async function connectTo(cluster: Pick<Cluster, 'mongodbUri' | 'dbName'>): Promise<void> {
  await connectDatabase(cluster.mongodbUri, cluster.dbName);
}

/** A new calendar revision open 00:00–23:59:59 every day, from the start of the trial. */
export async function openAllDay(changedBy = 'cluster-run'): Promise<void> {
  const last = await ServiceCalendarRevision.findOne({}, { rev: 1 }).sort({ rev: -1 }).lean();
  await ServiceCalendarRevision.create({ rev: (last?.rev ?? 0) + 1, opensAt: '00:00', closesAt: '23:59:59', trialStartsOn: '2026-01-01', launchOn: '2026-01-01', exceptions: [], changedBy, changedAt: new Date() });
}

// Made-up but well-formed ID numbers, distinct within a run (a day of birth per thousand) and, by a
// random start, very likely across runs on one database.
let nextPerson = Math.floor(Math.random() * 5000) * 1000;
function madeUpIdNumber(): string {
  const n = nextPerson++;
  const born = new Date(Date.UTC(1960, 0, 1) + Math.floor(n / 1000) * 86_400_000);
  const first17 = `440703${born.toISOString().slice(0, 10).replace(/-/g, '')}${String(n % 1000).padStart(3, '0')}`;
  return first17 + checkDigit(first17);
}

/**
 * Marks signed-in drivers verified (face) with a made-up identity, straight in the database, as the
 * verification paths would have (they have their own tests). Keys from `env` (the instances' own).
 */
export function identityWriter(env: Record<string, string | undefined> = {}, name = '压测'): (driverId: string) => Promise<void> {
  const config = loadConfig({ ...env, NODE_ENV: 'test' });
  const cipher = createIdCipher(idCipherKeys(config));
  return async (driverId) => {
    const idNumber = madeUpIdNumber();
    await Driver.updateOne({ _id: driverId }, { $set: { verification: 'verified', verificationMethod: 'face' } });
    await DriverIdentity.create({
      driverId,
      name,
      idNumberSealed: cipher.seal(idNumber),
      idHash: cipher.lookupHash(idNumber),
      phone: `139${String(nextPerson % 100_000_000).padStart(8, '0')}`,
      agreement: { version: config.AGREEMENT_VERSION, acceptedAt: new Date() },
    });
  };
}

/**
 * `count` drivers signed in through the balancer (WeChat fake) and marked verified with an identity,
 * `concurrency` at a time. Their access tokens last DRIVER_ACCESS_TTL_SECONDS (15 min by default).
 */
export async function verifiedDrivers(cluster: Pick<Cluster, 'url' | 'fakes' | 'env'>, count: number, concurrency = 8): Promise<ClusterDriver[]> {
  const markVerified = identityWriter(cluster.env);
  const drivers: ClusterDriver[] = [];
  let made = 0;
  const one = async (): Promise<ClusterDriver> => {
    const openid = `cluster-${process.pid}-${made++}-${Math.random().toString(36).slice(2, 8)}`;
    const res = await fetch(`${cluster.url}/api/v1/auth/wechat-login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: cluster.fakes.wechat.issueCode(openid) }),
      signal: AbortSignal.timeout(15_000),
    });
    if (res.status !== 200) throw new Error(`driver sign-in answered ${res.status}: ${await res.text()}`);
    const session = (await res.json()) as { accessToken: string; refreshToken: string; driver: { id: string } };
    await markVerified(session.driver.id);
    return { id: session.driver.id, token: session.accessToken, refreshToken: session.refreshToken, auth: { authorization: `Bearer ${session.accessToken}` } };
  };
  let claimed = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (claimed < count) {
        claimed++;
        drivers.push(await one());
      }
    }),
  );
  return drivers;
}

/** A staff account created in the database, then signed in through the balancer. */
export async function signedInStaff(
  cluster: Pick<Cluster, 'url' | 'env'>,
  account: { username: string; role?: StaffRole; brigadeCode?: string | null; password?: string },
): Promise<ClusterStaff> {
  const password = account.password ?? 'cluster-run-password-1';
  const role = account.role ?? 'dispatcher';
  const brigadeCode = account.brigadeCode === undefined ? (role === 'ops' || role === 'reviewer' ? null : 'JM-PJ') : account.brigadeCode;
  await createStaff({ username: account.username, displayName: `压测${account.username}`, role, brigadeCode, password }, Number(cluster.env.PASSWORD_HASH_COST ?? 12));
  const res = await fetch(`${cluster.url}/api/v1/staff/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: account.username, password }),
    signal: AbortSignal.timeout(60_000),
  });
  if (res.status !== 200) throw new Error(`staff sign-in of ${account.username} answered ${res.status}: ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith(`${cluster.env.STAFF_COOKIE_NAME ?? 'qh_staff'}=`));
  if (!cookie) throw new Error(`staff sign-in of ${account.username} set no session cookie`);
  return { username: account.username, cookie, headers: { cookie } };
}
