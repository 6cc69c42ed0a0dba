import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { checkDigit } from '../../src/identity/id-number';
import { createStaff } from '../../src/staff/staff.service';
import { startTestServer, type TestServer } from '../../test/harness';

/** The ops review page in a real headless Chromium: the queue, both photos, a rejection the driver reads, an approval that verifies. */
const DIST_DIR = process.env.CONSOLE_DIST_DIR ?? resolve(__dirname, '../dist');
const SCREENSHOTS = join(resolve(__dirname, '../../..'), 'test-output', 'console');
/** A real 2×2 PNG, so the page can actually decode and draw it. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64');

jest.setTimeout(60_000);

describe('identity review page (headless Chromium)', () => {
  let t: TestServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(DIST_DIR, 'index.html'))) throw new Error(`${DIST_DIR}/index.html is missing: run \`npm run build:console\` first`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    t = await startTestServer({ env: { CONSOLE_DIST_DIR: DIST_DIR, FACE_MAX_FAILURES: '1' } });
    await createStaff({ username: 'e2e-ops', displayName: '周运维', role: 'ops', password: 'ops-review-password' }, t.config.PASSWORD_HASH_COST);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    page = await (await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1366, height: 900 } })).newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (err) => pageErrors.push(err.message));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A driver whose face check failed, with both ID photos uploaded and submitted. */
  async function driverAwaitingReview(who = { openid: 'e2e-review', name: '林八', first17: '44070419880808123', phone: '13500000000' }): Promise<{ token: string }> {
    const session = (await t.http.post('/api/v1/auth/wechat-login', { code: t.fakes.wechat.issueCode(who.openid) })).body;
    const token = session.accessToken as string;
    const { first17 } = who;
    await t.http.post('/api/v1/verification/profile', { name: who.name, idNumber: first17 + checkDigit(first17), phone: who.phone, agreementVersion: t.config.AGREEMENT_VERSION, agreementAccepted: true }, { token });
    const started = await t.http.post('/api/v1/verification/face/start', {}, { token });
    t.fakes.wechat.completeFaceVerification(started.body.verifyId, 10004);
    await t.http.post('/api/v1/verification/face/complete', { verifyId: started.body.verifyId }, { token });
    for (const side of ['front', 'back']) {
      const form = new FormData();
      form.set('side', side);
      form.set('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), `${side}.png`);
      const res = await fetch(`${t.url}/api/v1/verification/id-photos`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
      expect(res.status).toBe(201);
    }
    expect((await t.http.post('/api/v1/verification/manual-review', {}, { token })).body.status).toBe('pending_review');
    return { token };
  }

  it('shows the pending review with both photos, and a rejection reaches the driver with its reason', async () => {
    const driver = await driverAwaitingReview();
    await page.goto(`${t.url}/console/`);
    await page.getByPlaceholder('请输入用户名').fill('e2e-ops');
    await page.getByPlaceholder('请输入密码').fill('ops-review-password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('身份审核', { exact: true }).click();

    const card = page.locator('article.review').first();
    await card.waitFor();
    await expect(card.textContent()).resolves.toMatch(/林\*.*4407\*{10}/s);
    // Both photos really load (decoded by the browser, not just requested).
    // Polled from here, not with waitForFunction: that evaluates a string in the page, which the
    // console's CSP (no 'unsafe-eval') refuses whenever the photos are not decoded at the first look.
    const decoded = () =>
      page.locator('article.review img').evaluateAll((imgs) => imgs.every((img) => (img as unknown as { naturalWidth: number }).naturalWidth > 0));
    for (let tries = 0; !(await decoded()) && tries < 50; tries++) await page.waitForTimeout(100);
    expect(await decoded()).toBe(true);
    await page.waitForTimeout(400); // let the tab button's ripple settle before the screenshot
    await page.screenshot({ path: join(SCREENSHOTS, 'identity-review.png'), fullPage: true });
    expect(await page.getByRole('button', { name: '退出登录' }).isVisible()).toBe(true);

    await card.getByRole('button', { name: '驳回' }).click();
    // No reason: nothing is sent, the item stays.
    await expect(page.locator('article.review').count()).resolves.toBe(1);
    await card.getByPlaceholder(/驳回原因/).fill('照片反光，看不清证件号码');
    await card.getByRole('button', { name: '驳回' }).click();
    await page.getByText('当前没有待审核的身份照片').waitFor();

    const status = await t.http.get('/api/v1/verification', { token: driver.token });
    expect(status.body).toMatchObject({ status: 'rejected', review: { state: 'rejected', reason: '照片反光，看不清证件号码' } });
    expect(pageErrors).toEqual([]);
  });

  it('approves a review: the card leaves the queue and the driver is verified', async () => {
    const driver = await driverAwaitingReview({ openid: 'e2e-review-approve', name: '陈九', first17: '44070319900909456', phone: '13600000000' });
    expect((await t.http.get('/api/v1/verification', { token: driver.token })).body.status).toBe('pending_review');
    // The page is still open from the test above: it picks the new item up on its own refresh.
    const card = page.locator('article.review').filter({ hasText: '陈*' });
    await card.waitFor({ timeout: 15_000 });
    await expect(card.textContent()).resolves.toMatch(/4407\*{10}/);

    await card.getByRole('button', { name: '通过' }).click();
    await page.getByText('当前没有待审核的身份照片').waitFor();

    const status = await t.http.get('/api/v1/verification', { token: driver.token });
    expect(status.body).toMatchObject({ status: 'verified', review: { state: 'approved', reason: null } });
    expect((await t.http.get('/api/v1/me', { token: driver.token })).body).toMatchObject({ verification: 'verified' });
    expect(pageErrors).toEqual([]);
  });
});
