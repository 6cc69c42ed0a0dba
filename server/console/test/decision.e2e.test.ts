import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Types } from 'mongoose';
import { chromium, type Browser, type ConsoleMessage, type Page, type Route } from 'playwright-core';
import { Case } from '../../src/cases/case.model';
import { caseHistory, transition } from '../../src/cases';
import { postMessage } from '../../src/call/chat';
import { fixEvidence, recordOnCase } from '../../src/evidence';
import { createStaff } from '../../src/staff/staff.service';
import { insertCase, seedBrigades } from '../../test/cases/fixtures';
import { startTestServer, type TestServer } from '../../test/harness';

/**
 * The officer's decision desk of the built console in a real headless Chromium against the real app:
 * a released two-vehicle case (walked through the case core: answered, evidence fixed, chat, released)
 * waits in 待认定; an officer opens the file, tags A with 追尾, reads the proposal (A 全部, B 无责任),
 * overrides it (A 主要, B 次要), is told by the server that a reason is required, gives one and
 * decides. A second officer deciding the same case meanwhile is told another officer decided.
 * Needs `npm run build:console` first; it builds nothing itself.
 */
const REPO_ROOT = resolve(__dirname, '../../..');
const DIST_DIR = resolve(__dirname, '../dist');
const SCREENSHOTS = join(REPO_ROOT, 'test-output', 'screenshots');

const PASSWORD = 'decision-desk-password-01';
/** seedBrigades() makes 蓬江 JM-PJ among the default brigades. */
const OFFICERS = [
  { username: 'decide-e2e-1', displayName: '王认定', role: 'officer' as const, brigadeCode: 'JM-PJ' },
  { username: 'decide-e2e-2', displayName: '赵认定', role: 'officer' as const, brigadeCode: 'JM-PJ' },
];
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const REASON = 'B 车制动灯损坏，对追尾的发生亦有过错';
const B_BASIS = '机动车制动灯损坏未及时修复（《中华人民共和国道路交通安全法》第二十一条）';

/** Beijing wall-clock "2026-11-25 10:03" of an instant, computed here independently of the console's formatter. */
function beijing(at: Date, seconds = false): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}${seconds ? `:${p.second}` : ''}`;
}

jest.setTimeout(90_000);

describe('officer decision desk (headless Chromium)', () => {
  let t: TestServer;
  let browser: Browser;
  const consoleErrors: { text: string; url: string }[] = [];
  const failedRequests: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(DIST_DIR, 'index.html'))) throw new Error(`${DIST_DIR}/index.html is missing: run \`npm run build:console\` before this test`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    t = await startTestServer({ env: { CONSOLE_DIST_DIR: DIST_DIR, QUEUE_STREAM_HEARTBEAT_MS: '1000' } });
    await seedBrigades();
    for (const o of OFFICERS) await createStaff({ ...o, password: PASSWORD }, t.config.PASSWORD_HASH_COST);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** The desk machine is set to London time: every time on screen must still be Beijing's. */
  async function openPage(): Promise<Page> {
    const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Europe/London', viewport: { width: 1600, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('console', (msg: ConsoleMessage) => {
      if (msg.type() === 'error') consoleErrors.push({ text: msg.text(), url: msg.location().url });
    });
    page.on('pageerror', (err) => consoleErrors.push({ text: `uncaught: ${err.message}`, url: '' }));
    page.on('requestfailed', (req) => failedRequests.push(`${req.method()} ${req.url()} ${req.failure()?.errorText}`));
    return page;
  }

  async function logIn(page: Page, username: string): Promise<void> {
    await page.goto(`${t.url}/console/`);
    await page.getByPlaceholder('请输入用户名').fill(username);
    await page.getByPlaceholder('请输入密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('实时更新').waitFor({ state: 'visible' });
    // The first GET /staff/me (no cookie yet) is answered 401 on purpose.
    for (let i = consoleErrors.length - 1; i >= 0; i--) {
      if (consoleErrors[i]!.url.endsWith('/api/v1/staff/me') && consoleErrors[i]!.text.includes('status of 401')) consoleErrors.splice(i, 1);
    }
  }

  function expectNoConsoleErrors(allowedStatuses: number[] = []): void {
    const seen = consoleErrors.splice(0);
    expect(seen.filter(({ text }) => !allowedStatuses.some((s) => text.includes(`status of ${s}`)))).toEqual([]);
  }

  /** A real JPEG drawn by the browser (the thumbnails must show a picture). */
  async function jpeg(page: Page, text: string): Promise<Buffer> {
    const dataUrl = await page.evaluate<string>(`(() => {
      const c = document.createElement('canvas'); c.width = 640; c.height = 480;
      const g = c.getContext('2d'); g.fillStyle = '#1d4e89'; g.fillRect(0, 0, 640, 480);
      g.fillStyle = '#fff'; g.font = 'bold 64px sans-serif'; g.fillText(${JSON.stringify(text)}, 140, 260);
      return c.toDataURL('image/jpeg', 0.9);
    })()`);
    return Buffer.from(dataUrl.split(',')[1]!, 'base64');
  }

  const party = (label: string, plate: string, name: string) => ({
    driverId: new Types.ObjectId(),
    label,
    plate,
    joinedAt: new Date(),
    factsConfirmedAt: new Date(),
    via: label === 'A' ? 'report' : 'code',
    info: { driverName: name, licenceNo: `44070319900101${label === 'A' ? '1234' : '5678'}`, plateType: '02', vehicleType: '小型轿车', insurer: '中国人保财险', policyNo: `PDZA2026${label}0001`, phone: '13800138000', confirmedAt: new Date() },
  });

  /**
   * A two-vehicle case through the case core as the call leaves it: answered, collecting (facts,
   * checks, party information as recorded), photos fixed in the chain, a few chat lines, released.
   * The cloud recording follows the case by itself (the fake recorder): its manifest is item #3.
   */
  async function releasedCase(plates: [string, string], photos?: [Buffer, Buffer]): Promise<string> {
    const dispatcher = { kind: 'dispatcher' as const, id: new Types.ObjectId().toHexString() };
    const reportedAt = new Date(Date.now() - 9 * 60_000);
    const created = await insertCase({
      reportedAt,
      address: '蓬江区建设三路38号',
      districtName: '蓬江区',
      districtAdcode: '440703',
      parties: [party('A', plates[0], '张三'), party('B', plates[1], '李四')],
      facts: { occurredAt: reportedAt, place: '蓬江区建设三路38号', directions: { A: '由北向南直行', B: '由北向南等候信号灯' }, impactPoints: { A: '前保险杠', B: '后保险杠' }, summary: 'A 车在建设三路由北向南行驶，追尾前方等候信号灯的 B 车。' },
      checks: ['A', 'B'].flatMap((label) => [
        { party: label, kind: 'licence', ok: true, detail: '驾驶证有效至 2099-01-01，准驾车型 C1', source: '公安交管车驾管系统', checkedAt: new Date() },
        { party: label, kind: 'vehicle', ok: true, detail: '机动车状态正常，检验有效期至 2099-01-01', source: '公安交管车驾管系统', checkedAt: new Date() },
        { party: label, kind: 'insurance', ok: true, detail: '交强险有效（中国人保财险）', source: '公安交管车驾管系统', checkedAt: new Date() },
      ]),
    });
    const caseId = String(created._id);
    const services = t.services;
    await transition(caseId, 'answer', dispatcher, { set: { answeredAt: new Date(Date.now() - 8 * 60_000), answeredBy: { id: dispatcher.id, name: '陈接警' } } as never, services });
    await transition(caseId, 'start_collecting', dispatcher, { services });
    if (photos) {
      const items = [
        { kind: 'plate', party: 'A', mimeType: 'image/jpeg', data: photos[0] },
        { kind: 'impact_point', party: 'B', mimeType: 'image/jpeg', data: photos[1] },
      ];
      for (const [i, item] of items.entries()) {
        const fixed = await fixEvidence(services, { caseId, sourceId: `seed-${caseId}-${i}`, shotRequestId: null, actor: { kind: 'driver', id: null }, ...item });
        await recordOnCase(services, fixed);
      }
      await postMessage(services, caseId, 'dispatcher', '请打开双闪，人员撤到护栏外', dispatcher);
      await postMessage(services, caseId, 'A', '好的，已经撤到路边', { kind: 'driver', id: null });
    }
    await transition(caseId, 'release', dispatcher, { set: { releasedAt: new Date(), handlingSeconds: 262 } as never, services });
    return caseId;
  }

  let page: Page;
  let other: Page;
  let caseId: string;
  let laterId: string;

  it('lands an officer on 待认定: the released case, oldest first, in Beijing time; a newly released case appears live', async () => {
    page = await openPage();
    const photos: [Buffer, Buffer] = [await jpeg(page, '粤J10001'), await jpeg(page, '碰撞部位')];
    caseId = await releasedCase(['粤J10001', '粤J20002'], photos);
    await logIn(page, OFFICERS[0]!.username);

    expect(new URL(page.url()).hash).toBe('');
    await page.getByRole('heading', { name: /待认定/ }).waitFor({ state: 'visible' });
    const header = await page.locator('header').innerText();
    expect(header).toEqual(expect.stringContaining('王认定'));
    expect(header).toEqual(expect.stringContaining('民警'));
    expect(header).toEqual(expect.stringContaining('排队案件')); // the officer may still open the queue
    const row = page.getByRole('row').filter({ hasText: '粤J10001' });
    const released = (await Case.findById(caseId).lean())!.releasedAt!;
    expect(await row.getByRole('cell').allInnerTexts()).toEqual([caseId.slice(-8).toUpperCase(), '蓬江区建设三路38号', beijing(released), 'A · 粤J10001\nB · 粤J20002', '未标注', '认定']);

    // Another case is released while the list is open: the queue's stream announces it.
    laterId = await releasedCase(['粤J30003', '粤J40004']);
    const later = page.getByRole('row').filter({ hasText: '粤J30003' });
    await later.waitFor({ state: 'visible', timeout: 3000 });
    const order = await page.locator('tbody tr').allInnerTexts();
    expect(order.findIndex((r) => r.includes('粤J10001'))).toBeLessThan(order.findIndex((r) => r.includes('粤J30003')));
    await page.screenshot({ path: join(SCREENSHOTS, 'decision-pending.png') });
    expectNoConsoleErrors();
  });

  it('opens the case file on one screen: parties and vehicles, checks, facts, evidence with the chain verified, chat, timeline in words', async () => {
    await page.getByRole('row').filter({ hasText: '粤J10001' }).getByRole('button', { name: '认定' }).click();
    await page.getByRole('heading', { name: '责任认定' }).waitFor({ state: 'visible' });
    expect(new URL(page.url()).hash).toBe(`#/decisions/${caseId}`);

    const a = page.getByRole('article', { name: 'A 车信息' });
    for (const text of ['张三', '粤J10001', '02 小型汽车', '小型轿车', '中国人保财险', 'PDZA2026A0001']) expect(await a.innerText()).toEqual(expect.stringContaining(text));
    expect(await page.getByRole('list', { name: 'B 车核查结果' }).getByText('通过', { exact: true }).count()).toBe(3);
    expect(await page.getByRole('region', { name: '事故事实' }).innerText()).toEqual(expect.stringContaining('追尾前方等候信号灯的 B 车'));

    await page.locator('#verify-result').getByText('证据链完整：3 项').waitFor({ state: 'visible' });
    expect(await page.locator('.evidence-item').allInnerTexts()).toEqual([
      expect.stringMatching(/#1\s+号牌[\s\S]*A 车[\s\S]*校验通过/),
      expect.stringMatching(/#2\s+碰撞部位[\s\S]*B 车[\s\S]*校验通过/),
      expect.stringMatching(/#3\s+通话录像（清单）[\s\S]*系统录制[\s\S]*校验通过/),
    ]);
    const thumb = page.locator('#evidence-1 img');
    await thumb.scrollIntoViewIfNeeded();
    expect(await thumb.evaluate((el) => new Promise<number>((done) => {
      const img = el as unknown as { complete: boolean; naturalWidth: number; onload: () => void };
      if (img.complete) done(img.naturalWidth);
      else img.onload = () => done(img.naturalWidth);
    }))).toBe(640);

    const chat = await page.getByRole('region', { name: /消息记录/ }).innerText();
    expect(chat).toEqual(expect.stringContaining('交警'));
    expect(chat).toEqual(expect.stringContaining('好的，已经撤到路边'));

    const timeline = await page.getByRole('region', { name: '时间线' }).innerText();
    for (const words of ['接警员接听', '排队中 → 通话中', '开始取证', '固定证据', '#1 号牌（A 车）', '放行撤离', '取证中 → 已放行', '#3 通话录像（系统录制）']) expect(timeline).toEqual(expect.stringContaining(words));
    const releasedEvent = (await caseHistory(caseId)).find((e) => e.event === 'release')!;
    expect(timeline).toEqual(expect.stringMatching(new RegExp(`${beijing(releasedEvent.at, true)}\\s+放行撤离\\s+接警员`)));
    // No codes or English states anywhere in the file.
    const all = await page.locator('.file-record').innerText();
    for (const raw of ['released', 'collecting', 'in_call', 'evidence_fixed', 'plate', 'dispatcher', 'undefined', 'null']) expect(all).not.toContain(raw);
    await page.screenshot({ path: join(SCREENSHOTS, 'decision-file.png') });
    // The whole file at once (the columns scroll on a desk screen): the chat and the timeline too.
    await page.setViewportSize({ width: 1600, height: 2000 });
    await page.screenshot({ path: join(SCREENSHOTS, 'decision-file-full.png') });
    await page.setViewportSize({ width: 1600, height: 900 });
    expectNoConsoleErrors();
  });

  it('tags A with 追尾: the proposal is A 全部, B 无责任, and the form follows it', async () => {
    // The second officer has the same file open: it follows the first officer's tags by itself.
    other = await openPage();
    await logIn(other, OFFICERS[1]!.username);
    await other.getByRole('row').filter({ hasText: '粤J10001' }).getByRole('button', { name: '认定' }).click();
    await other.getByRole('heading', { name: '责任认定' }).waitFor({ state: 'visible' });
    expect(await other.locator('#proposal').innerText()).toEqual(expect.stringContaining('尚未为任何一方标注情形'));

    await page.locator('#tagger-A .t-select').click();
    await page.locator('.t-select-option:visible').filter({ hasText: /^追尾$/ }).click();
    await page.keyboard.press('Escape');
    const proposal = page.locator('#proposal');
    await proposal.getByText('只有 A 方符合情形').waitFor({ state: 'visible' });
    expect(await page.locator('#proposal-party-A').innerText()).toEqual(expect.stringMatching(/A 车\s*全部责任[\s\S]*追尾（《中华人民共和国道路交通安全法》第四十三条/));
    expect(await page.locator('#proposal-party-B').innerText()).toEqual(expect.stringMatching(/B 车\s*无责任\s*无过错/));
    // Prefilled: the proposal's grades and bases, the call's facts.
    expect(await page.locator('#decision-party-A .t-radio-button.t-is-checked').innerText()).toBe('全部责任');
    expect(await page.locator('#decision-party-B .t-radio-button.t-is-checked').innerText()).toBe('无责任');
    expect(await page.locator('#decision-party-A .t-input__inner').inputValue()).toEqual(expect.stringContaining('第四十三条'));
    expect(await page.locator('.decision-form textarea').first().inputValue()).toBe('A 车在建设三路由北向南行驶，追尾前方等候信号灯的 B 车。');
    expect(await page.locator('#reason-field').innerText()).toEqual(expect.stringContaining('与系统建议一致，可不填'));

    await other.locator('#proposal').getByText('只有 A 方符合情形').waitFor({ state: 'visible', timeout: 3000 });
    expect((await Case.findById(caseId).lean())!.scenarioTags).toEqual([{ party: 'A', scenarioCodes: ['rear_end'] }]);
    expectNoConsoleErrors();
  });

  it('overrides the proposal (A 主要, B 次要): the reason becomes required, and the server says so when it is missing', async () => {
    await page.locator('#decision-party-B .t-radio-button').filter({ hasText: '次要责任' }).click();
    await page.locator('#decision-party-A .t-radio-button').filter({ hasText: '主要责任' }).click();
    for (const label of ['A', 'B']) await page.locator(`#decision-party-${label} .party-row-damage-choice .t-radio-button`).filter({ hasText: '保险理赔' }).click();
    await page.locator('.weather-select .t-select').click();
    await page.locator('.t-select-option:visible').filter({ hasText: /^晴$/ }).click();
    await page.locator('.accident-type-select .t-select').click();
    await page.locator('.t-select-option:visible').filter({ hasText: /^追尾$/ }).click();

    // B is now at fault: the proposal's 无过错 no longer stands and the basis is left to be written; A's stays.
    expect(await page.locator('#decision-party-B .t-input__inner').inputValue()).toBe('');
    expect(await page.locator('#decision-party-A .t-input__inner').inputValue()).toEqual(expect.stringContaining('第四十三条'));
    await page.locator('#decision-party-B .t-input__inner').fill(B_BASIS);

    const reasonField = page.locator('#reason-field');
    expect(await reasonField.locator('.t-form__label--required').count()).toBe(1);
    expect(await reasonField.innerText()).toEqual(expect.stringContaining('认定与系统建议不同，须写明理由'));
    expect(await page.locator('#decision-party-A').innerText()).toEqual(expect.stringContaining('与建议不同'));

    await page.getByRole('button', { name: '确认认定' }).click();
    await reasonField.getByText('认定与系统建议不同，请写明理由').waitFor({ state: 'visible' });
    expect((await Case.findById(caseId).lean())!.state).toBe('released');
    await reasonField.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'decision-reason-required.png') });
    expectNoConsoleErrors([400]);
  });

  it('decides with a reason; a second officer deciding the same case meanwhile is told another officer decided', async () => {
    // The second officer confirms the proposal; their request is held on its way until the first has decided.
    for (const label of ['A', 'B']) await other.locator(`#decision-party-${label} .party-row-damage-choice .t-radio-button`).filter({ hasText: '自行协商' }).click();
    await other.locator('.weather-select .t-select').click();
    await other.locator('.t-select-option:visible').filter({ hasText: /^阴$/ }).click();
    await other.locator('.accident-type-select .t-select').click();
    await other.locator('.t-select-option:visible').filter({ hasText: /^追尾$/ }).click();
    let release!: () => void;
    const held = new Promise<void>((done) => (release = done));
    let seen!: () => void;
    const arrived = new Promise<void>((done) => (seen = done));
    await other.route('**/api/v1/decisions/cases/*/decision', async (route: Route) => {
      seen();
      await held;
      await route.continue();
    });
    await other.getByRole('button', { name: '确认认定' }).click();
    await arrived;

    await page.locator('#reason-field textarea').fill(REASON);
    await page.getByRole('button', { name: '确认认定' }).click();
    const record = page.locator('#decision-record');
    await record.waitFor({ state: 'visible' });
    expect(await page.locator('#record-party-A').innerText()).toEqual(expect.stringMatching(/A 车\s*主要责任\s*损害赔偿：保险理赔/));
    expect(await page.locator('#record-party-B').innerText()).toEqual(expect.stringMatching(/B 车\s*次要责任\s*损害赔偿：保险理赔\s*依据：机动车制动灯损坏未及时修复/));
    const recordText = await record.innerText();
    for (const text of [REASON, '王认定', '与系统建议不同', '晴', '追尾', 'A 车全部责任，B 车无责任']) expect(recordText).toEqual(expect.stringContaining(text));
    const stored = (await Case.findById(caseId).lean())!;
    expect(stored.state).toBe('determined');
    expect(stored.decision).toMatchObject({ reason: REASON, differsFromProposal: true, officer: { name: '王认定' }, weather: '晴', accidentType: '追尾' });
    expect(recordText).toEqual(expect.stringContaining(beijing(stored.decision!.decidedAt)));
    expect(await page.locator('.file-bar').innerText()).toEqual(expect.stringContaining('已认定'));
    await page.screenshot({ path: join(SCREENSHOTS, 'decision-decided.png') });

    release();
    await other.locator('#decision-taken').getByText('该案件已由其他民警认定').waitFor({ state: 'visible' });
    await other.locator('#decision-record').waitFor({ state: 'visible' });
    expect(await other.locator('#record-party-A').innerText()).toEqual(expect.stringContaining('主要责任'));
    expect((await Case.findById(caseId).lean())?.decision?.officer?.name).toBe('王认定');
    await other.screenshot({ path: join(SCREENSHOTS, 'decision-taken.png') });

    // Back on 待认定, the decided case is gone; the other one still waits.
    await page.getByRole('button', { name: '返回待认定' }).click();
    await page.getByRole('row').filter({ hasText: '粤J30003' }).waitFor({ state: 'visible' });
    expect(await page.getByRole('row').filter({ hasText: '粤J10001' }).count()).toBe(0);
    expect(laterId).toBeTruthy();
    expectNoConsoleErrors([409]);
  });

  it('loaded everything without failed requests (streams the pages closed themselves aside)', () => {
    expect(failedRequests.filter((r) => !/\/stream net::ERR_ABORTED$/.test(r))).toEqual([]);
  });
});
