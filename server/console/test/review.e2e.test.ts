import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { Case } from '../../src/cases/case.model';
import { createStaff } from '../../src/staff/staff.service';
import { seedBrigades, verifiedDriver, type TestDriver } from '../../test/cases/fixtures';
import { decision, party, releasedCase, signedInStaff } from '../../test/decisions/decision-fixtures';
import { startTestServer, type TestServer } from '../../test/harness';

/**
 * The 复核 desk of the built console in a real headless Chromium against the real app: a case decided
 * by an officer and delivered (through HTTP), a party's written 复核 with a photo (through the driver
 * API); a city-wide reviewer lands on 复核, sees it with its deadlines in Beijing time (an older one is
 * flagged 已超期), opens the file beside the application, accepts, and concludes 重新认定 with a
 * reason after a confirm dialog: the case leaves the list and is back in the brigade's 待认定.
 * Needs `npm run build:console` first; it builds nothing itself.
 */
const REPO_ROOT = resolve(__dirname, '../../..');
const DIST_DIR = resolve(__dirname, '../dist');
const SCREENSHOTS = join(REPO_ROOT, 'test-output', 'screenshots');

const PASSWORD = 'review-desk-password-01';
const REVIEWER = { username: 'review-e2e-1', displayName: '周复核', role: 'reviewer' as const, brigadeCode: null };
const OFFICER = { username: 'review-e2e-officer', displayName: '王认定', role: 'officer' as const, brigadeCode: 'JM-PJ' };
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const REQUEST = '请求撤销原认定，重新认定';
const REASONS = 'A 车追尾时我车已完全停稳，路口监控可以证明。';
const CONCLUSION = '监控显示 B 车已停稳，原认定 B 车次要责任依据不足，发回重新认定';
const DAY = 24 * 3600_000;

/** Beijing wall-clock "2026-11-25 10:03" of an instant, computed here independently of the console's formatter. */
function beijing(at: Date): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

jest.setTimeout(90_000);

describe('reviewer 复核 desk (headless Chromium)', () => {
  let t: TestServer;
  let browser: Browser;
  const consoleErrors: { text: string; url: string }[] = [];
  const failedRequests: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(DIST_DIR, 'index.html'))) throw new Error(`${DIST_DIR}/index.html is missing: run \`npm run build:console\` before this test`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    t = await startTestServer({ env: { CONSOLE_DIST_DIR: DIST_DIR, QUEUE_STREAM_HEARTBEAT_MS: '1000' } });
    await seedBrigades();
    for (const s of [REVIEWER, OFFICER]) await createStaff({ ...s, password: PASSWORD }, t.config.PASSWORD_HASH_COST);
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

  async function logIn(page: Page, username: string, landing: RegExp): Promise<void> {
    await page.goto(`${t.url}/console/`);
    await page.getByPlaceholder('请输入用户名').fill(username);
    await page.getByPlaceholder('请输入密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: landing }).waitFor({ state: 'visible' });
    // The first GET /staff/me (no cookie yet) is answered 401 on purpose.
    for (let i = consoleErrors.length - 1; i >= 0; i--) {
      if (consoleErrors[i]!.url.endsWith('/api/v1/staff/me') && consoleErrors[i]!.text.includes('status of 401')) consoleErrors.splice(i, 1);
    }
  }

  function expectNoConsoleErrors(allowedStatuses: number[] = []): void {
    const seen = consoleErrors.splice(0);
    expect(seen.filter(({ text }) => !allowedStatuses.some((s) => text.includes(`status of ${s}`)))).toEqual([]);
  }

  /** Transitions done (a dialog fading in or out), so a screenshot shows what the desk sees. */
  const settled = (p: Page) => p.evaluate('Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined)))');

  /** A 640×480 JPEG a person can recognise in the screenshot. */
  const photo = (text: string) =>
    sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><rect width="640" height="480" fill="#1d4e89"/><text x="60" y="260" font-size="64" font-family="sans-serif" font-weight="bold" fill="#fff">${text}</text></svg>`))
      .jpeg({ quality: 85 })
      .toBuffer();

  /** The party's 复核 photo through the driver's resumable upload, as the mini-program sends it. */
  async function reviewPhoto(driver: TestDriver, caseId: string): Promise<string> {
    const jpeg = await photo('REVIEW B');
    const created = await driver.post(`/api/v1/cases/${caseId}/uploads`, { uploadKey: `review-${caseId}`, kind: 'review_evidence', mimeType: 'image/jpeg', size: jpeg.length });
    expect(created.status).toBe(201);
    const chunk = created.body.chunkSize as number;
    for (let i = 0; i * chunk < jpeg.length; i++) {
      const put = await fetch(`${t.url}/api/v1/uploads/${created.body.uploadId}/chunks/${i}`, { method: 'PUT', body: jpeg.subarray(i * chunk, (i + 1) * chunk), headers: { authorization: `Bearer ${driver.token}`, 'content-type': 'application/octet-stream' } });
      expect(put.status).toBe(200);
    }
    const done = await driver.post(`/api/v1/uploads/${created.body.uploadId}/complete`, {});
    expect(done.status).toBe(200);
    return done.body.evidence.id as string;
  }

  /** Decided by an officer (A 主要, B 次要) and delivered, then B applies for 复核 (with a photo, if asked). */
  async function appliedCase(plates: [string, string], withPhoto: boolean): Promise<{ caseId: string; certificate: string }> {
    const [a, b] = [await verifiedDriver(t), await verifiedDriver(t)];
    const caseId = await releasedCase({ parties: [party('A', plates[0], a.id as never), party('B', plates[1], b.id as never)], address: '江门市蓬江区建设三路38号' });
    const decided = await (await signedInStaff(t, 'officer')).post(`/decisions/cases/${caseId}/decision`, decision({ A: 'main', B: 'minor' }, 'B 车刹车灯不亮'));
    expect(decided.status).toBe(201);
    const evidenceIds = withPhoto ? [await reviewPhoto(b, caseId)] : [];
    const applied = await b.post(`/api/v1/matters/${caseId}/review`, { request: REQUEST, reasons: REASONS, evidenceIds });
    expect(applied.status).toBe(201);
    return { caseId, certificate: decided.body.decision.certificate.number as string };
  }

  let page: Page;
  let fresh: { caseId: string; certificate: string };
  let old: { caseId: string; certificate: string };
  const row = (caseId: string) => page.locator('tbody tr').filter({ hasText: caseId.slice(-8).toUpperCase() });

  it('lands a reviewer on 复核: the application with its deadlines in Beijing time; one not accepted within 5 days is flagged 已超期', async () => {
    // Eight days ago (the server's clock), an application nobody accepted; then one today.
    const realClock = t.services.clock;
    t.services.clock = () => new Date(Date.now() - 8 * DAY);
    try {
      old = await appliedCase(['粤J80808', '粤J90909'], false);
    } finally {
      t.services.clock = realClock;
    }
    fresh = await appliedCase(['粤J31313', '粤J42424'], true);

    page = await openPage();
    await logIn(page, REVIEWER.username, /复核申请/);
    expect(new URL(page.url()).hash).toBe('');
    const header = await page.locator('header').innerText();
    for (const text of ['周复核', '复核民警', '复核', '全部大队']) expect(header).toEqual(expect.stringContaining(text));
    expect(header).not.toContain('排队案件');

    const stored = (await Case.findById(fresh.caseId).lean())!.review!;
    await row(fresh.caseId).waitFor({ state: 'visible' });
    expect(await row(fresh.caseId).getByRole('cell').allInnerTexts()).toEqual([
      fresh.caseId.slice(-8).toUpperCase(),
      fresh.certificate,
      '待受理',
      beijing(stored.receivedAt),
      beijing(stored.acceptBy),
      '受理后 30 日内',
      '办理',
    ]);
    expect(stored.acceptBy.getTime() - stored.receivedAt.getTime()).toBe(5 * DAY);

    const late = row(old.caseId);
    expect(await late.getByRole('cell').nth(2).innerText()).toEqual(expect.stringMatching(/待受理\s*已超期/));
    expect(await late.getByRole('cell').nth(4).evaluate((el) => (globalThis as unknown as { getComputedStyle: (e: unknown) => { color: string } }).getComputedStyle(el).color)).toBe('rgb(213, 73, 65)');
    expect(await row(fresh.caseId).innerText()).not.toContain('已超期');
    expect(await page.locator('.reviews-title').innerText()).toEqual(expect.stringContaining('1 件已超期'));
    await page.screenshot({ path: join(SCREENSHOTS, 'review-pending.png') });
    expectNoConsoleErrors();
  });

  it('opens the case file beside the application: the decision under review with its certificate, the party’s request, reasons and photo', async () => {
    await row(fresh.caseId).getByRole('button', { name: '办理' }).click();
    await page.getByRole('heading', { name: '复核', exact: true }).waitFor({ state: 'visible' });
    expect(new URL(page.url()).hash).toBe(`#/reviews/${fresh.caseId}`);
    expect(await page.locator('.file-bar').innerText()).toEqual(expect.stringContaining(fresh.caseId.slice(-8).toUpperCase()));

    const application = page.getByRole('article', { name: 'B 车的复核申请' });
    const text = await application.innerText();
    for (const words of [REQUEST, REASONS]) expect(text).toEqual(expect.stringContaining(words));
    const img = application.locator('img');
    expect(await img.evaluate((el) => new Promise<number>((done) => {
      const image = el as unknown as { complete: boolean; naturalWidth: number; onload: () => void };
      if (image.complete) done(image.naturalWidth);
      else image.onload = () => done(image.naturalWidth);
    }))).toBe(640);

    const record = await page.locator('#decision-record').innerText();
    for (const words of ['主要责任', '次要责任', `第 ${fresh.certificate} 号`]) expect(record).toEqual(expect.stringContaining(words));
    const stored = (await Case.findById(fresh.caseId).lean())!.review!;
    expect(await page.locator('#review-status').innerText()).toEqual(expect.stringMatching(new RegExp(`待受理[\\s\\S]*受理期限\\s*${beijing(stored.acceptBy)}`)));
    expect(await page.locator('#review-status').innerText()).not.toContain('已超期');

    // The case file the officer decided from: parties, the chain checked (the 复核 photo is in it), the timeline in words.
    expect(await page.getByRole('article', { name: 'A 车信息' }).innerText()).toEqual(expect.stringContaining('粤J31313'));
    await page.locator('#verify-result').getByText(/证据链完整/).waitFor({ state: 'visible' });
    expect(await page.locator('.evidence-item').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringMatching(/复核材料[\s\S]*B 车[\s\S]*校验通过/)]));
    const timeline = await page.getByRole('region', { name: '时间线' }).innerText();
    for (const words of ['责任认定', '送达认定书', '申请复核', '已送达 → 已申请复核']) expect(timeline).toEqual(expect.stringContaining(words));
    const all = await page.locator('.file-main').innerText();
    for (const raw of ['review_requested', 'review_evidence', 'received', 'undefined', 'null', 'NaN']) expect(all).not.toContain(raw);
    await page.screenshot({ path: join(SCREENSHOTS, 'review-file.png') });
    expectNoConsoleErrors();
  });

  it('accepts, then 重新认定 with a reason after a confirm dialog: the case leaves the list', async () => {
    await page.getByRole('button', { name: '受理', exact: true }).click();
    await page.locator('#review-status').getByText('已受理，待结论').waitFor({ state: 'visible' });
    const accepted = (await Case.findById(fresh.caseId).lean())!.review!;
    expect(accepted.status).toBe('accepted');
    expect(await page.locator('#review-status').innerText()).toEqual(expect.stringContaining(`结论期限\n${beijing(accepted.concludeBy!)}`));

    // Nothing written: the page says so and asks nothing.
    await page.locator('.t-radio-button').filter({ hasText: '重新认定' }).click();
    await page.getByRole('button', { name: '作出复核结论' }).click();
    const failure = page.locator('#review-failure');
    await failure.getByText('请写明复核结论的理由').waitFor({ state: 'visible' });
    const dialog = page.locator('.t-dialog');
    expect(await dialog.isVisible()).toBe(false);

    // Too short a reason: confirmed, then refused by the server in its words (its issue, not a field code).
    await page.locator('.conclusion-reason textarea').fill('不当');
    await page.getByRole('button', { name: '作出复核结论' }).click();
    await dialog.getByText('新出具的认定书将取代原认定书').waitFor({ state: 'visible' });
    await dialog.getByRole('button', { name: '确认' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await failure.innerText()).toBe('请写明复核结论的理由');
    expect((await Case.findById(fresh.caseId).lean())!.state).toBe('review_requested');
    await failure.scrollIntoViewIfNeeded();
    await settled(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'review-reason-refused.png') });

    await page.locator('.conclusion-reason textarea').fill(CONCLUSION);
    await page.getByRole('button', { name: '作出复核结论' }).click();
    await dialog.getByText(`理由：${CONCLUSION}`).waitFor({ state: 'visible' });
    await settled(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'review-confirm.png') });
    await dialog.getByRole('button', { name: '确认' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('#review-status').getByText('重新认定').first().waitFor({ state: 'visible' });
    expect(await page.locator('#review-status').innerText()).toEqual(expect.stringContaining(CONCLUSION));
    const stored = (await Case.findById(fresh.caseId).lean())!;
    expect(stored.review).toMatchObject({ status: 'redone', conclusionReason: CONCLUSION });
    expect(stored.state).toBe('released');
    await page.getByText('原认定已发回办案大队重新认定').waitFor({ state: 'visible' });
    await settled(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'review-redone.png') });

    await page.getByRole('button', { name: '返回复核' }).click();
    await row(old.caseId).waitFor({ state: 'visible' });
    expect(await row(fresh.caseId).count()).toBe(0);
    expectNoConsoleErrors([400]);
  });

  it('the brigade’s officer finds the case back in 待认定', async () => {
    const officer = await openPage();
    await logIn(officer, OFFICER.username, /待认定/);
    const back = officer.getByRole('row').filter({ hasText: '粤J31313' });
    await back.waitFor({ state: 'visible' });
    expect(await back.innerText()).toEqual(expect.stringContaining(fresh.caseId.slice(-8).toUpperCase()));
    await officer.screenshot({ path: join(SCREENSHOTS, 'review-back-to-decisions.png') });
    expectNoConsoleErrors();
  });

  it('loaded everything without failed requests (streams the pages closed themselves aside)', () => {
    expect(failedRequests.filter((r) => !/\/stream net::ERR_ABORTED$/.test(r))).toEqual([]);
  });
});
