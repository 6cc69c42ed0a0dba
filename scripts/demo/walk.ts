/**
 * `npm run demo:walk [-- <base URL>]`: walks one whole case through the public HTTP API of a running
 * `npm start` — two demo drivers sign in (already verified), A reports on 建设路, B joins by code, the
 * dispatcher answers, records both parties and the facts, runs the registry checks, fixes a still
 * frame and releases; the officer tags and decides; both drivers read 网办进度 and download the
 * 认定书 — printing each step with the time spent waiting for the server, then a summary with the
 * server's own timeline. The base URL is the argument, else http://127.0.0.1:$PORT (3000); the local
 * fakes' addresses come from <data folder>/demo-endpoints.json, which `npm start` writes.
 */
import { ACTIVE_STATES } from '../../server/src/cases/lifecycle';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import sharp from 'sharp';
import type { LocationInput } from '../../typings/api/eligibility';
import { QUALIFYING_ANSWERS } from '../lib/case-samples';
import type { DecideRequest } from '../../typings/api/decisions';
import type { MatterSummary } from '../../typings/api/matters';
import { ApiClient, ApiError } from './api-client';
import { DEMO_ACCOUNTS, DEMO_DRIVERS, type DemoDriver } from './demo-data';
import { codesOverHttp, signIn } from './demo-drivers';
import { readDemoEndpoints } from './demo-endpoints';

const ZONE = 'Asia/Shanghai';
const BRIGADE = 'JM-PJ';
/** On 建设路, 蓬江区 (the demo dispatcher's and officer's brigade), well away from the excluded roads. */
export const WALK_PLACE = { lat: 22.595, lng: 113.077 };

export interface WalkOptions {
  baseUrl: string;
  /** The WeChat fake, whose control API issues login codes for the demo openids. */
  wechatUrl: string;
  /** The demo drivers to walk with, in order of preference (the first two with no case under way). */
  drivers?: readonly DemoDriver[];
  log?: (line: string) => void;
}

export interface WalkStep {
  n: number;
  title: string;
  detail: string;
  /** Time spent waiting for the server in this step. */
  softwareMs: number;
  requests: number;
}

export interface WalkResult {
  caseId: string;
  caseNo: string;
  address: string;
  certificateNumber: string;
  verifyUrl: string;
  handlingSeconds: number | null;
  steps: WalkStep[];
  /** Each driver's 网办进度 entry for the case, and the size of the PDF they downloaded. */
  matters: { driver: string; matter: MatterSummary; pdfBytes: number }[];
  softwareMs: number;
  wallMs: number;
}

/** A case in these states keeps its drivers from reporting or joining another. */
const ACTIVE: readonly string[] = ACTIVE_STATES;
const staffAccount = (role: 'dispatcher' | 'officer' | 'ops') => DEMO_ACCOUNTS.find((a) => a.role === role)!;
const beijing = (iso: string | Date) => DateTime.fromJSDate(typeof iso === 'string' ? new Date(iso) : iso, { zone: ZONE }).toFormat('HH:mm:ss');

export async function walk(options: WalkOptions): Promise<WalkResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const started = performance.now();
  const clients: ApiClient[] = [];
  const steps: WalkStep[] = [];

  /** Runs one step, then prints it with the server time it took (every client's requests in it). */
  async function step<T>(title: string, run: () => Promise<T>, describe: (value: T) => string): Promise<T> {
    const before = clients.reduce((n, c) => n + c.requests, 0);
    clients.forEach((c) => c.takeElapsed());
    let value: T;
    try {
      value = await run();
    } catch (err) {
      log(`  ✗ ${title}: ${err instanceof ApiError ? `${err.code} — ${err.message}` : (err as Error).message}`);
      throw err;
    }
    const softwareMs = clients.reduce((ms, c) => ms + c.takeElapsed(), 0);
    const record: WalkStep = { n: steps.length + 1, title, detail: describe(value), softwareMs, requests: clients.reduce((n, c) => n + c.requests, 0) - before };
    steps.push(record);
    log(`${String(record.n).padStart(3)}. ${beijing(new Date())}  ${padColumns(title, 22)} ${`${Math.round(softwareMs)} ms`.padStart(7)} ${`(${record.requests} req)`.padEnd(8)}  ${record.detail}`);
    return value;
  }
  const track = (api: ApiClient) => (clients.push(api), api);

  log(`Walking one case through ${options.baseUrl} (times: Beijing; ms: waiting for the server)`);
  const codes = codesOverHttp(options.wechatUrl);
  // Two demo drivers with no case under way (an interrupted walk leaves its drivers in one).
  const [[driverA, a], [driverB, b]] = await step('司机登录（微信）', async () => {
    const free: [DemoDriver, ApiClient][] = [];
    const busy: string[] = [];
    for (const d of options.drivers ?? DEMO_DRIVERS) {
      const api = track(await signIn(options.baseUrl, d, codes));
      const current = (await api.call('GET /api/v1/cases/current')).case;
      if (current && ACTIVE.includes(current.state)) busy.push(`${d.name} (${d.openid}) is in case ${current.caseId.slice(-8)}, ${current.state}`);
      else free.push([d, api]);
      if (free.length === 2) return free as [[DemoDriver, ApiClient], [DemoDriver, ApiClient]];
    }
    throw new Error(`two demo drivers with no case under way are needed: ${busy.join('; ')} — finish or redirect it on the console`);
  }, ([[da], [db]]) => `A ${da.name} (${da.openid}), B ${db.name} (${db.openid})`);
  await step(
    '实人认证状态',
    async () => {
      const [va, vb] = [await a.call('GET /api/v1/verification'), await b.call('GET /api/v1/verification')];
      for (const [v, d] of [[va, driverA], [vb, driverB]] as const) {
        if (v.status !== 'verified') throw new Error(`${d.name} is not verified (${v.status}): restart npm start, which verifies the demo drivers`);
      }
      return [va, vb] as const;
    },
    ([va, vb]) => `A ${va.maskedName} ${va.maskedIdNumber} ${va.method}; B ${vb.maskedName} ${vb.maskedIdNumber} ${vb.method}`,
  );

  const ops = track(new ApiClient(options.baseUrl, 'staff'));
  const reopen = await step('服务时间', () => ensureOpen(a, ops), (r) => (r ? `closed now: ops opened today until 23:59 for the walk (restored at the end)` : 'open'));
  try {
    const safety = await step('A 安全确认', () => a.call('POST /api/v1/safety-checks', { body: { hazardLightsOn: true, warningTrianglePlaced: true, peopleInSafePlace: true } }), (s) => `valid until ${beijing(s.validUntil)}`);
    const location: LocationInput = { ...WALK_PLACE, coordType: 'gcj02', accuracyM: 12 };
    const eligibility = await step('A 适用条件', () => a.call('POST /api/v1/eligibility/check', { body: { location, answers: QUALIFYING_ANSWERS } }), (e) =>
      e.eligible ? `eligible at ${e.place.address || '（未定位）'} → ${e.place.brigade?.name ?? '?'}` : `NOT eligible: ${e.failed.map((f) => f.reason).join('；')}`,
    );
    if (!eligibility.eligible) throw new Error('the walk’s place is not eligible');
    const reported = await step(
      'A 报警',
      () => a.call('POST /api/v1/cases', { body: { safetyCheckId: safety.safetyCheckId, location, answers: QUALIFYING_ANSWERS, plate: driverA.plate }, headers: { 'idempotency-key': randomUUID() } }),
      (c) => `case ${c.caseId.slice(-8)}, ${c.state}, join code ${c.joinCode}`,
    );
    const caseId = reported.caseId;
    await step('B 凭码加入', () => b.call('POST /api/v1/cases/join', { body: { code: reported.joinCode!, plate: driverB.plate, factsConfirmed: true } }), (c) => `${c.state}, parties ${c.parties.map((p) => `${p.label} ${p.plate}`).join(' / ')}`);

    const desk = track(new ApiClient(options.baseUrl, 'staff'));
    const dispatcher = staffAccount('dispatcher');
    await step('接警员登录', () => desk.call('POST /api/v1/staff/login', { body: { username: dispatcher.username, password: dispatcher.password } }), (s) => `${s.staff.displayName} (${s.staff.brigadeCode})`);
    await step('队列', () => desk.call('GET /api/v1/queue'), (q) => `${q.items.length} waiting; this case ${q.items.findIndex((i) => i.caseId === caseId) + 1}.`);
    const params = { id: caseId };
    await step('接听', () => desk.call('POST /api/v1/desk/cases/:id/answer', { params }), (v) => `${v.state} at ${beijing(v.answeredAt!)}`);
    await step('双方同意录音', async () => [await a.call('POST /api/v1/cases/:id/recording-consent', { params }), await b.call('POST /api/v1/cases/:id/recording-consent', { params })], () => 'A, B');
    for (const [label, d] of [['A', driverA], ['B', driverB]] as const) {
      await step(
        `记录 ${label} 方信息`,
        () =>
          desk.call('PUT /api/v1/desk/cases/:id/parties/:label', {
            params: { id: caseId, label },
            body: { driverName: d.name, licenceNo: d.idNumber, plateType: '02', vehicleType: d.vehicleName, insurer: d.insurer, policyNo: d.policyNo, phone: d.phone },
          }),
        (v) => `${v.state}; ${d.name} ${d.plate} ${d.insurer}`,
      );
    }
    await step(
      '记录事实',
      () =>
        desk.call('PUT /api/v1/desk/cases/:id/facts', {
          params,
          body: {
            place: eligibility.place.address || null,
            directions: { A: '由南向北直行', B: '由南向北直行，前方等候信号灯' },
            impactPoints: { A: '前保险杠', B: '后保险杠' },
            summary: 'A 车在建设路由南向北行驶，未与前车保持安全距离，追尾前方等候信号灯的 B 车。',
          },
        }),
      () => '追尾 on 建设路',
    );
    for (const label of ['A', 'B']) {
      await step(`核查 ${label} 方（车驾管）`, () => desk.call('POST /api/v1/desk/cases/:id/checks', { params, body: { party: label } }), (results) => {
        const failed = results.filter((r) => !r.ok);
        if (failed.length) throw new Error(`${label}: ${failed.map((r) => r.detail).join('；')}`);
        return results.map((r) => r.detail).join('；');
      });
    }
    const frame = await stillFrame();
    await step('固定截图证据', () => desk.call('POST /api/v1/desk/cases/:id/frames', { params, body: { bytes: frame, contentType: 'image/jpeg' } }), (e) => `evidence #${e.seq} ${e.kind}, sha256 ${e.sha256.slice(0, 12)}…`);
    await step('校验证据链', () => desk.call('GET /api/v1/desk/cases/:id/evidence/verify', { params }), (v) => (v.ok ? `chain ok (${v.items.length} item)` : 'CHAIN BROKEN'));
    const released = await step('放行', () => desk.call('POST /api/v1/desk/cases/:id/release', { params }), (v) => `${v.state} at ${beijing(v.releasedAt!)}, handled in ${v.handlingSeconds} s`);

    const officerApi = track(new ApiClient(options.baseUrl, 'staff'));
    const officer = staffAccount('officer');
    await step('民警登录', () => officerApi.call('POST /api/v1/staff/login', { body: { username: officer.username, password: officer.password } }), (s) => `${s.staff.displayName} (${s.staff.brigadeCode})`);
    await step('待认定', () => officerApi.call('GET /api/v1/decisions/pending'), (p) => {
      if (!p.items.some((i) => i.caseId === caseId)) throw new Error('the released case is not on 待认定');
      return `${p.items.length} waiting, this case among them`;
    });
    await step('案卷', () => officerApi.call('GET /api/v1/decisions/cases/:id', { params }), (f) => `${f.case.parties.length} parties, ${f.case.evidence.length} evidence, ${f.timeline.length} events`);
    const tagged = await step('情形标注（A 追尾）', () => officerApi.call('PUT /api/v1/decisions/cases/:id/tags', { params, body: { party: 'A', scenarioCodes: ['rear_end'] } }), (t) => `proposal: ${t.proposal.explanation}`);
    const proposal = tagged.proposal.parties;
    if (!proposal) throw new Error('no proposal from the tags');
    const decide: DecideRequest = {
      parties: proposal.map((p) => ({ label: p.label, liability: p.liability, basis: p.basis, damages: 'insurance' })),
      reason: null,
      weather: '晴',
      accidentType: '追尾',
      facts: 'A 车在建设路由南向北行驶，未与前车保持安全距离，追尾前方等候信号灯的 B 车，两车受损，无人受伤。',
    };
    const decided = await step('认定', () => officerApi.call('POST /api/v1/decisions/cases/:id/decision', { params, body: decide }), (f) => `${f.decision?.parties.map((p) => `${p.label} ${p.liability}`).join(' / ')}; 认定书 ${f.decision?.certificate?.number}`);
    const certificate = decided.decision?.certificate;
    if (!certificate) throw new Error('decided, but no certificate was issued');

    const matters: WalkResult['matters'] = [];
    for (const [label, api, d] of [['A', a, driverA], ['B', b, driverB]] as const) {
      const matter = await step(`${label} 网办进度`, async () => {
        const found = (await api.call('GET /api/v1/matters')).items.find((m) => m.caseId === caseId);
        if (!found?.decision) throw new Error(`${d.name} sees no decision for the case`);
        return found;
      }, (m) => `${m.state}; ${m.decision!.parties.filter((p) => p.mine).map((p) => p.words)[0]}; 复核 until ${DateTime.fromISO(m.decision!.review.deadline!, { zone: ZONE }).minus({ days: 1 }).toFormat('M月d日')} 24:00`);
      const pdf = await step(`${label} 下载认定书`, () => api.bytes('GET /api/v1/matters/:id/certificate.pdf', { params }), (p) => {
        if (!p.contentType.startsWith('application/pdf') || p.bytes.subarray(0, 5).toString() !== '%PDF-') throw new Error(`not a PDF (${p.contentType})`);
        return `${(p.bytes.length / 1024).toFixed(0)} KB PDF`;
      });
      matters.push({ driver: d.name, matter, pdfBytes: pdf.bytes.length });
    }
    const anyone = track(new ApiClient(options.baseUrl, 'driver'));
    await step('公开核验', () => anyone.call('GET /api/v1/certificates/:number/verify', { params: { number: certificate.number } }), (v) => `${v.status}, signature ${v.signatureValid ? 'valid' : 'INVALID'}, ${v.unit.name}`);

    const result: WalkResult = {
      caseId,
      caseNo: decided.caseNo,
      address: eligibility.place.address,
      certificateNumber: certificate.number,
      verifyUrl: certificate.verifyUrl,
      handlingSeconds: released.handlingSeconds,
      steps,
      matters,
      softwareMs: steps.reduce((ms, s) => ms + s.softwareMs, 0),
      wallMs: performance.now() - started,
    };
    summarise(result, log);
    return result;
  } finally {
    if (reopen) await reopen().catch((err: Error) => log(`  (could not restore the service calendar: ${err.message})`));
  }
}

/** The service answers 07:30–19:30; outside that, ops open today for the walk and put it back afterwards. */
async function ensureOpen(driver: ApiClient, ops: ApiClient): Promise<(() => Promise<void>) | null> {
  const hours = await driver.call('GET /api/v1/service-hours', { query: { brigade: BRIGADE } });
  if (hours.verdict.ok) return null;
  if (hours.verdict.code === 'SUSPENDED') throw new Error(`the service is suspended: ${hours.verdict.reason}`);
  const today = DateTime.now().setZone(ZONE);
  if (today.toFormat('HH:mm') >= '23:59') throw new Error('it is 23:59 in Beijing: try again after midnight');
  const account = staffAccount('ops');
  await ops.call('POST /api/v1/staff/login', { body: { username: account.username, password: account.password } });
  type Calendar = { rev: number; opensAt: string; closesAt: string; trialStartsOn: string; launchOn: string; exceptions: { date: string; closed: boolean; opensAt?: string; closesAt?: string; reason: string }[] };
  const { calendar } = await ops.untyped<{ calendar: Calendar }>('GET', '/api/v1/admin/service-calendar');
  const date = today.toISODate()!;
  const save = async (exceptions: Calendar['exceptions']) => {
    const { calendar: now } = await ops.untyped<{ calendar: Calendar }>('GET', '/api/v1/admin/service-calendar');
    const { rev, opensAt, closesAt, trialStartsOn, launchOn } = now;
    await ops.untyped('PUT', '/api/v1/admin/service-calendar', { basedOnRev: rev, opensAt, closesAt, trialStartsOn: trialStartsOn > date ? date : trialStartsOn, launchOn, exceptions });
  };
  const original = calendar.exceptions;
  await save([...original.filter((e) => e.date !== date), { date, closed: false, opensAt: '00:00', closesAt: '23:59', reason: '演示：全程走查' }]);
  return () => save(original);
}

/** Pads to a width in terminal columns (a CJK character takes two). */
function padColumns(text: string, columns: number): string {
  const width = [...text].reduce((w, ch) => w + (/[\u1100-\uffff]/.test(ch) ? 2 : 1), 0);
  return text + ' '.repeat(Math.max(0, columns - width));
}

/** A still frame from a party's video, as the desk grabs it: a real JPEG the server decodes. */
async function stillFrame(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360"><rect width="640" height="360" fill="#6b7b8c"/><rect x="120" y="150" width="180" height="90" fill="#d33"/><rect x="330" y="150" width="180" height="90" fill="#ddd"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
}

function summarise(r: WalkResult, log: (line: string) => void): void {
  const steps = r.matters[0]?.matter.steps ?? [];
  log('');
  log(`Case ${r.caseNo} at ${r.address}: 认定书 ${r.certificateNumber} delivered to ${r.matters.map((m) => m.driver).join(' and ')}.`);
  log(`  verify: ${r.verifyUrl}`);
  log(`  the server's timeline (网办进度, Beijing time):`);
  let previous: number | null = null;
  for (const s of steps) {
    const at = new Date(s.at).getTime();
    log(`    ${s.kind.padEnd(10)} ${beijing(s.at)}${previous === null ? '' : `  +${((at - previous) / 1000).toFixed(1)} s`}`);
    previous = at;
  }
  log(`  the call, answer → release: ${r.handlingSeconds} s`);
  log(`  ${r.steps.length} steps, ${r.steps.reduce((n, s) => n + s.requests, 0)} requests: ${Math.round(r.softwareMs)} ms waiting for the server, ${(r.wallMs / 1000).toFixed(1)} s in all`);
  const slowest = [...r.steps].sort((x, y) => y.softwareMs - x.softwareMs).slice(0, 3);
  log(`  slowest: ${slowest.map((s) => `${s.title} ${Math.round(s.softwareMs)} ms`).join(', ')}`);
}

async function main(): Promise<void> {
  const arg = process.argv[2];
  const dataDir = process.env.QH_DATA_DIR ?? join(__dirname, '..', '..', '.data');
  const endpoints = readDemoEndpoints(dataDir);
  const baseUrl = (arg ?? (process.env.PORT ? `http://127.0.0.1:${process.env.PORT}` : endpoints?.api) ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
  const wechatUrl = process.env.WECHAT_FAKE_URL ?? endpoints?.wechat;
  if (!wechatUrl) {
    console.error(`No running npm start found (${join(dataDir, 'demo-endpoints.json')}): start it first (npm start), or set WECHAT_FAKE_URL to its WeChat fake.`);
    process.exit(2);
  }
  try {
    await walk({ baseUrl, wechatUrl });
  } catch (err) {
    console.error(`\nThe walk stopped: ${(err as Error).message}`);
    process.exit(1);
  }
}

if (require.main === module) void main();
