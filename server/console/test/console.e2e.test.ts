import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { Brigade } from '../../src/brigades/brigade.model';
import { Staff } from '../../src/staff/staff.model';
import { PENGJIANG, report, verifiedDriver } from '../../test/cases/fixtures';
import { createStaff } from '../../src/staff/staff.service';
import { startTestServer, type TestServer } from '../../test/harness';

/**
 * The built console in a real headless Chromium against the real app (real database engine):
 * log in, watch the queue, log out. Needs `npm run build:console` first; it builds nothing itself.
 */
const REPO_ROOT = resolve(__dirname, '../../..');
/** A console built elsewhere (CONSOLE_DIST_DIR, people working side by side each build their own), else the repo's. */
const DIST_DIR = process.env.CONSOLE_DIST_DIR ?? resolve(__dirname, '../dist');
const SCREENSHOTS = join(REPO_ROOT, 'test-output', 'console');

const PASSWORD = 'duty-desk-password-01';
const BRIGADE = { code: 'JM-E2E', name: '江门市蓬江交警大队', districtAdcodes: ['440703'] };
const DISPATCHER = { username: 'e2e-disp', displayName: '陈接警', role: 'dispatcher' as const, brigadeCode: BRIGADE.code };
/** QUEUE_REFRESH_MS in src/composables/useQueue.ts (that file is browser code; not importable here). */
const REFRESH_MS = 5000;
/** The stream re-checks the session this often in this test (QUEUE_STREAM_HEARTBEAT_MS). */
const HEARTBEAT_MS = 1000;

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

jest.setTimeout(60_000);

describe('dispatcher console (headless Chromium)', () => {
  let t: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Every console error, and every request that failed or left the machine, for the checks below. */
  const consoleErrors: { text: string; url: string }[] = [];
  const failedRequests: string[] = [];
  const offHostRequests: string[] = [];
  /** API calls sent without the console's CSRF header (the server requires it on cookie writes). */
  const headerlessApiCalls: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(DIST_DIR, 'index.html'))) {
      throw new Error(`${DIST_DIR}/index.html is missing: run \`npm run build:console\` before this test`);
    }
    mkdirSync(SCREENSHOTS, { recursive: true });
    t = await startTestServer({ env: { CONSOLE_DIST_DIR: DIST_DIR, QUEUE_STREAM_HEARTBEAT_MS: String(HEARTBEAT_MS) } });
    await Brigade.create(BRIGADE);
    await createStaff({ ...DISPATCHER, password: PASSWORD }, t.config.PASSWORD_HASH_COST);

    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1366, height: 768 } });
    page = await context.newPage();
    // Fail a missing element in 10 s, not Playwright's 30 s: one broken step should not stall the run.
    page.setDefaultTimeout(10_000);
    page.on('console', (msg: ConsoleMessage) => {
      if (msg.type() === 'error') consoleErrors.push({ text: msg.text(), url: msg.location().url });
    });
    page.on('pageerror', (err) => consoleErrors.push({ text: `uncaught: ${err.message}`, url: '' }));
    page.on('requestfailed', (req) => failedRequests.push(`${req.method()} ${req.url()} ${req.failure()?.errorText}`));
    page.on('request', (req) => {
      const { protocol, hostname } = new URL(req.url());
      if (protocol !== 'data:' && hostname !== '127.0.0.1') offHostRequests.push(req.url());
      // EventSource cannot send headers; the stream is a GET, which the CSRF guard does not need to see.
      const path = new URL(req.url()).pathname;
      if (path.startsWith('/api/') && path !== '/api/v1/queue/stream' && req.headers()['x-console-request'] !== '1') {
        headerlessApiCalls.push(`${req.method()} ${req.url()}`);
      }
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /**
   * Chromium reports every 4xx response as a console error ("Failed to load resource…"). The 401s a
   * test provokes on purpose are allowed by path; any other console error fails it.
   */
  function expectNoConsoleErrors(expected401Paths: string[] = []): void {
    // Taken out first, so one test's stray error is reported by that test and not by every later one.
    const seen = consoleErrors.splice(0);
    const unexpected = seen.filter(({ text, url }) => {
      const path = url ? new URL(url).pathname : '';
      return !(/status of 401/.test(text) && expected401Paths.includes(path));
    });
    expect(unexpected).toEqual([]);
  }

  const usernameInput = () => page.getByPlaceholder('请输入用户名');
  const passwordInput = () => page.getByPlaceholder('请输入密码');
  /** The `name` of the focused input (the form's names are `username` and `password`). */
  const focusedInputName = () => page.locator('input:focus').getAttribute('name', { timeout: 2000 });

  it('serves the app shell at /console/ under the CSP, with its assets bundled alongside', async () => {
    const shell = await fetch(`${t.url}/console/`, { redirect: 'manual' });
    expect({ status: shell.status, location: shell.headers.get('location') }).toEqual({ status: 200, location: null });
    expect(shell.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await shell.text();
    expect(html).toContain('<title>事故视频快处 · 接警台</title>');
    // Every script and stylesheet is a hashed file under /console/assets/: nothing from a CDN.
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(sources.length).toBeGreaterThanOrEqual(2);
    for (const source of sources) expect(source).toMatch(/^\/console\/assets\/[\w.-]+$/);
  });

  it('shows the login form, focused, and the server’s message for a wrong password', async () => {
    await page.goto(`${t.url}/console/`);
    await usernameInput().waitFor({ state: 'visible' });
    expect(await page.title()).toBe('事故视频快处 · 接警台');
    expect(await focusedInputName()).toBe('username');

    await usernameInput().fill(DISPATCHER.username);
    await passwordInput().fill('not-the-password');
    await passwordInput().press('Enter'); // Enter submits: no mouse needed at the desk.

    const alert = page.getByRole('alert');
    await alert.waitFor({ state: 'visible' });
    expect(await alert.innerText()).toContain('用户名或密码错误');
    // The wrong password is cleared and the cursor is back in it for the retry.
    expect(await passwordInput().inputValue()).toBe('');
    expect(await focusedInputName()).toBe('password');
    await page.screenshot({ path: join(SCREENSHOTS, 'login-error.png'), fullPage: true });

    // The page's own GET /staff/me (not logged in yet) and the failed login are the only 401s.
    expectNoConsoleErrors(['/api/v1/staff/me', '/api/v1/staff/login']);
  });

  it('logs in to the queue view: brigade, officer, role and the empty state', async () => {
    await passwordInput().fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();

    await page.getByText('当前没有排队的案件').waitFor({ state: 'visible' });
    const header = page.locator('header');
    expect(await header.innerText()).toEqual(expect.stringContaining(BRIGADE.name));
    expect(await header.innerText()).toEqual(expect.stringContaining(DISPATCHER.displayName));
    expect(await header.innerText()).toEqual(expect.stringContaining('接警员'));
    expect(await page.getByRole('button', { name: '退出登录' }).isVisible()).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'queue-empty.png'), fullPage: true });
    expectNoConsoleErrors();
  });

  it('shows a case reported through the API at once (server-sent events), and updates it when another party joins', async () => {
    // Judge the rules at 10:00 Beijing time today, whenever the suite runs; the clock still moves.
    let offsetMs = new Date(`${new Date().toISOString().slice(0, 10)}T10:00:00+08:00`).getTime() - Date.now();
    t.services.clock = () => new Date(Date.now() + offsetMs);
    await page.getByText('实时更新').waitFor({ state: 'visible' });

    t.fakes.tencentMap.addPlace({ ...PENGJIANG, radiusM: 100, street: '建设三路', streetNumber: '38号', district: '蓬江区', adcode: '440703' });
    const reporter = await verifiedDriver(t);
    const reportedAt = Date.now();
    const reported = await report(reporter, { plate: '粤J5A123' });
    expect(reported.status).toBe(201);
    const row = page.getByRole('row').filter({ hasText: '粤J5A123' });
    // Far inside the 5 s poll: only the push can have brought it this fast.
    await row.waitFor({ state: 'visible', timeout: 2500 });
    expect(Date.now() - reportedAt).toBeLessThan(2500);

    // Three and a half minutes later (by the server's clock) the second party joins.
    offsetMs += 205_000;
    const other = await verifiedDriver(t);
    expect((await other.post('/api/v1/cases/join', { code: reported.body.joinCode, plate: '粤J7B456', factsConfirmed: true })).status).toBe(200);
    await row.filter({ hasText: '粤J7B456' }).waitFor({ state: 'visible', timeout: 2500 });

    const cells = await row.getByRole('cell').allInnerTexts();
    const caseNo = (reported.body.caseId as string).slice(-8).toUpperCase();
    expect(cells).toEqual([
      '1',
      `${caseNo}\n排队中`,
      expect.stringMatching(/^3 分 2\d 秒\n10:00:\d\d 报案$/),
      '蓬江区建设三路\n蓬江区',
      '2 辆\n粤J5A123\n粤J7B456',
      '接听',
    ]);
    expect(await page.getByText('当前没有排队的案件').count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'queue-with-case.png'), fullPage: true });

    // The reporter cancels: the row goes, again without waiting for a poll.
    await reporter.post(`/api/v1/cases/${reported.body.caseId}/cancel`, {});
    await page.getByText('当前没有排队的案件').waitFor({ state: 'visible', timeout: 2500 });
    expectNoConsoleErrors();
  });

  it('logs out back to the login form, and the session is gone on the server', async () => {
    await page.getByRole('button', { name: '退出登录' }).click();
    await usernameInput().waitFor({ state: 'visible' });
    expect(await page.getByText('已退出登录').isVisible()).toBe(true);
    expect(await usernameInput().inputValue()).toBe(''); // a handover: the next officer starts afresh

    // Same browser context, so the same cookie jar the page used.
    const me = await page.request.get(`${t.url}/api/v1/staff/me`);
    expect(me.status()).toBe(401);
    expectNoConsoleErrors();
  });

  it('goes back to the login form with a message when the session expires mid-shift', async () => {
    await usernameInput().fill(DISPATCHER.username);
    await passwordInput().fill(PASSWORD);
    await passwordInput().press('Enter');
    await page.getByRole('button', { name: '退出登录' }).waitFor({ state: 'visible' });

    // The session is revoked elsewhere (e.g. the account's sessions ended by ops) and the cookie is
    // gone: the stream's next heartbeat ends it, the reconnect and the fallback poll are answered 401.
    await page.getByText('实时更新').waitFor({ state: 'visible' });
    await Staff.updateOne({ username: DISPATCHER.username }, { $inc: { sessionVersion: 1 } });
    await context.clearCookies();
    await page.getByText('会话已过期，请重新登录').waitFor({ state: 'visible', timeout: HEARTBEAT_MS + REFRESH_MS + 2000 });
    // Same officer, mid-shift: the username is kept and the cursor waits in the password field.
    expect(await usernameInput().inputValue()).toBe(DISPATCHER.username);
    expect(await focusedInputName()).toBe('password');
    await page.screenshot({ path: join(SCREENSHOTS, 'session-expired.png'), fullPage: true });
    expectNoConsoleErrors(['/api/v1/queue', '/api/v1/queue/stream']);
  });

  it('loaded everything from the app itself: no failed requests, nothing off the loopback', () => {
    // The console closes its live stream itself on logout; Chromium reports that as aborted.
    expect(failedRequests.filter((r) => !/\/api\/v1\/queue\/stream net::ERR_ABORTED$/.test(r))).toEqual([]);
    expect(offHostRequests).toEqual([]);
    expect(headerlessApiCalls).toEqual([]);
  });
});
