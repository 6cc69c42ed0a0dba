import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { createStaff } from '../../src/staff/staff.service';
import { PENGJIANG, QUALIFYING_ANSWERS, seedBrigades, verifiedDriver, type TestDriver } from '../../test/cases/fixtures';
import { HttpClient } from '../../test/http';
import { startTestServer, type TestServer } from '../../test/harness';

/**
 * The ops console's administration pages in a real headless Chromium against the real app, on a desk
 * machine set to London time: ops suspend the whole city with a reason and an end time (Beijing time),
 * a driver's next eligibility check is refused with that reason, lifting it lets the next one through;
 * ops change the daily hours and save (and meet a colleague's save as a conflict); on 大队与账号 they
 * create a dispatcher account and see it listed under its brigade, change a dispatcher's role to officer
 * and reset a password in the account dialog.
 * Needs a built console (CONSOLE_DIST_DIR, or `npm run build:console` for ../dist); it builds nothing itself.
 */
const REPO_ROOT = resolve(__dirname, '../../..');
const DIST_DIR = process.env.CONSOLE_DIST_DIR ?? resolve(__dirname, '../dist');
const SCREENSHOTS = join(REPO_ROOT, 'test-output', 'console');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const PASSWORD = 'ops-admin-password-01';
const WRITE = { headers: { 'x-console-request': '1' } };
/** The server's clock runs from 10:00 Beijing time on a service day, so only a suspension can refuse. */
const SERVICE_DAY_10AM = new Date('2026-11-25T10:00:00+08:00');
const REASON = '大雾，能见度不足 50 米';

/** Beijing wall-clock "2026-11-25 10:03" of an instant, computed here independently of the console's formatter. */
function beijing(at: Date | string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(at))
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

jest.setTimeout(120_000);

describe('ops administration pages (headless Chromium)', () => {
  let t: TestServer;
  let browser: Browser;
  let page: Page;
  let driver: TestDriver;
  /** A colleague at another desk, through the API. */
  let colleague: HttpClient;
  const consoleErrors: { text: string; url: string }[] = [];

  beforeAll(async () => {
    if (!existsSync(join(DIST_DIR, 'index.html'))) throw new Error(`${DIST_DIR}/index.html is missing: build the console first`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    t = await startTestServer({ env: { CONSOLE_DIST_DIR: DIST_DIR } });
    await seedBrigades();
    await createStaff({ username: 'ops-admin-e2e', displayName: '周运维', role: 'ops', password: PASSWORD }, t.config.PASSWORD_HASH_COST);
    await createStaff({ username: 'ops-colleague', displayName: '吴运维', role: 'ops', password: PASSWORD }, t.config.PASSWORD_HASH_COST);
    colleague = new HttpClient(t.url);
    expect((await colleague.post('/api/v1/staff/login', { username: 'ops-colleague', password: PASSWORD })).status).toBe(200);
    driver = await verifiedDriver(t);
    const shift = SERVICE_DAY_10AM.getTime() - Date.now();
    t.services.clock = () => new Date(Date.now() + shift);

    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Europe/London', viewport: { width: 1440, height: 1000 } });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('console', (msg: ConsoleMessage) => {
      if (msg.type() === 'error') consoleErrors.push({ text: msg.text(), url: msg.location().url });
    });
    page.on('pageerror', (err) => consoleErrors.push({ text: `uncaught: ${err.message}`, url: '' }));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Console errors other than the first GET /staff/me (401 before login, on purpose) and the statuses a step expects. */
  function expectNoConsoleErrors(allowedStatuses: number[] = []): void {
    const seen = consoleErrors.splice(0).filter(({ text, url }) => !(url.endsWith('/api/v1/staff/me') && text.includes('status of 401')));
    expect(seen.filter(({ text }) => !allowedStatuses.some((s) => text.includes(`status of ${s}`)))).toEqual([]);
  }

  const settled = (p: Page) => p.evaluate('Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined)))');

  const eligibility = async () => {
    const res = await driver.post('/api/v1/eligibility/check', { location: { ...PENGJIANG, coordType: 'gcj02', accuracyM: 15 }, answers: QUALIFYING_ANSWERS });
    expect(res.status).toBe(200);
    return res.body as { eligible: boolean; failed: { code: string; reason: string; alternatives: string[] }[] };
  };

  /** Types into a TDesign picker's input (allow-input) and confirms with Enter, as a keyboard user would. */
  async function typeInto(picker: ReturnType<Page['locator']>, text: string): Promise<void> {
    const input = picker.locator('input').first();
    await input.click();
    await input.fill(text);
    await input.press('Enter');
    // Then away, as a person clicks elsewhere: the picker's panel closes (it lies over what is below it).
    await page.getByRole('heading', { name: '服务时间', exact: true }).click();
    await page.locator('.t-popup').first().waitFor({ state: 'hidden' });
    await settled(page);
  }

  it('logs ops in and suspends the whole city with a reason and an end time in Beijing time: a driver is refused at once, then accepted once it is lifted', async () => {
    expect((await eligibility()).eligible).toBe(true);

    // Straight to 服务时间 (the menu is used for 大队与账号 below): the statistics landing page is another test's.
    await page.goto(`${t.url}/console/#/ops/service`);
    await page.getByPlaceholder('请输入用户名').fill('ops-admin-e2e');
    await page.getByPlaceholder('请输入密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '服务时间', exact: true }).waitFor();
    const panel = page.locator('section[aria-labelledby="suspension-title"]');
    await panel.getByText('正常服务').waitFor();

    await panel.getByPlaceholder('如：大雾，能见度不足 50 米').fill(REASON);
    await typeInto(panel.locator('.until'), '2026-11-25 12:30');
    await panel.getByRole('button', { name: '暂停服务' }).click();
    // The whole city: asked first, with what drivers will read.
    const dialog = page.locator('.t-dialog');
    await dialog.getByText('暂停全市的视频快处？').waitFor();
    await expect(dialog.textContent()).resolves.toContain(REASON);
    await expect(dialog.textContent()).resolves.toContain('北京时间 2026-11-25 12:30');
    await dialog.getByRole('button', { name: '确认暂停全市' }).click();

    const row = panel.locator('tr.suspension-row').filter({ hasText: REASON });
    await row.waitFor();
    // At once: the very next check after the page showed it.
    const refused = await eligibility();
    expect(refused.eligible).toBe(false);
    expect(refused.failed).toEqual([expect.objectContaining({ code: 'SUSPENDED', reason: expect.stringContaining(REASON), alternatives: ['call_122', 'officer_on_scene'] })]);

    // Times on screen are Beijing's, although the browser is in London.
    const [listed] = (await colleague.get('/api/v1/admin/service-calendar')).body.suspensions;
    expect(listed.until).toBe(new Date('2026-11-25T12:30:00+08:00').toISOString());
    const cells = await row.locator('td').allTextContents();
    expect(cells.map((c) => c.trim()).slice(0, 5)).toEqual(['全市', REASON, beijing(listed.since), '2026-11-25 12:30', '周运维']);
    expect(beijing(listed.since)).toMatch(/^2026-11-25 10:0\d$/);
    await expect(panel.getByText('全市已暂停').isVisible()).resolves.toBe(true);
    await settled(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'ops-service.png'), fullPage: true });

    await row.getByRole('button', { name: '恢复' }).click();
    await panel.getByText('当前没有暂停').waitFor();
    expect((await eligibility()).eligible).toBe(true);
    expectNoConsoleErrors();
  });

  it('suspends one brigade without asking; only that brigade is stopped', async () => {
    const panel = page.locator('section[aria-labelledby="suspension-title"]');
    await panel.locator('.scope').click();
    await page.getByRole('listitem').filter({ hasText: '江门市公安局交通警察支队蓬江大队' }).click();
    await panel.getByPlaceholder('如：大雾，能见度不足 50 米').fill('暴雨');
    await panel.getByRole('button', { name: '暂停服务' }).click();
    const row = panel.locator('tr.suspension-row').filter({ hasText: '暴雨' });
    await row.waitFor();
    await expect(row.locator('td').first().textContent()).resolves.toBe('江门市公安局交通警察支队蓬江大队');
    await expect(row.locator('td').nth(3).textContent()).resolves.toBe('手动恢复');
    expect((await eligibility()).failed.map((f) => f.code)).toEqual(['SUSPENDED']);
    expect((await t.http.get('/api/v1/service-hours?brigade=JM-EP')).body.verdict.ok).toBe(true);
    await row.getByRole('button', { name: '恢复' }).click();
    await panel.getByText('当前没有暂停').waitFor();
    expect((await eligibility()).eligible).toBe(true);
    expectNoConsoleErrors();
  });

  it('changes the daily hours and adds a closed day; a colleague’s save in between is a conflict, reloaded on request', async () => {
    const form = page.locator('section[aria-labelledby="calendar-title"]');
    await form.getByText('默认设置，尚未修改').waitFor();
    await typeInto(form.locator('.time').first(), '08:00');
    await form.getByRole('button', { name: '添加例外日期' }).click();
    const exception = form.locator('tr.exception-row').first();
    await typeInto(exception.locator('.exception-date'), '2026-11-26');
    await exception.getByPlaceholder('如：系统升级、国庆节').fill('系统升级');
    await form.getByRole('button', { name: '保存服务时间' }).click();
    await form.getByText('第 1 版').waitFor();
    const saved = (await colleague.get('/api/v1/admin/service-calendar')).body.calendar;
    expect(saved).toMatchObject({ rev: 1, opensAt: '08:00', closesAt: '19:30', exceptions: [{ date: '2026-11-26', closed: true, reason: '系统升级' }] });
    // The hours are the driver's hours at once: 08:00 is open, the closed day is not.
    t.services.clock = () => new Date('2026-11-26T10:00:00+08:00');
    expect((await eligibility()).failed.map((f) => f.code)).toEqual(['OUTSIDE_HOURS']);
    t.services.clock = () => new Date('2026-11-25T07:45:00+08:00');
    expect((await eligibility()).failed.map((f) => f.code)).toEqual(['OUTSIDE_HOURS']);
    t.services.clock = () => new Date('2026-11-25T08:00:00+08:00');
    expect((await eligibility()).eligible).toBe(true);

    // A colleague saves on top of rev 1; this page still edits rev 1.
    const { rev: _rev, ...theirs } = saved;
    expect((await colleague.request('PUT', '/api/v1/admin/service-calendar', { ...theirs, basedOnRev: 1, closesAt: '20:00' }, WRITE)).status).toBe(200);
    await typeInto(form.locator('.time').first(), '08:30');
    await form.getByRole('button', { name: '保存服务时间' }).click();
    await form.getByText('刚被其他人修改过').waitFor();
    await form.getByRole('button', { name: '重新加载' }).click();
    await form.getByText('第 2 版').waitFor();
    await expect(form.locator('.time').nth(1).locator('input').inputValue()).resolves.toBe('20:00');
    expect((await colleague.get('/api/v1/admin/service-calendar')).body.calendar).toMatchObject({ rev: 2, opensAt: '08:00', closesAt: '20:00' });
    expectNoConsoleErrors([409]);
  });

  it('opens 大队与账号 from the menu: edits a brigade (the server’s refusal shown in its words), creates a dispatcher account that can log in, lists it under its brigade, disables it', async () => {
    await page.locator('.ops-menu').getByText('大队与账号', { exact: true }).click();
    const brigades = page.locator('section[aria-labelledby="brigades-title"]');
    const enping = brigades.locator('tr.brigade-row').filter({ hasText: 'JM-EP' });
    await enping.waitFor();
    await expect(enping.textContent()).resolves.toContain('恩平市');

    // A district another brigade has: the server refuses, the dialog says why and stays open.
    await enping.getByRole('button', { name: '编辑' }).click();
    const dialog = page.locator('.t-dialog').filter({ hasText: '编辑大队 JM-EP' });
    await dialog.locator('.t-checkbox').filter({ hasText: '蓬江区' }).click();
    await dialog.getByPlaceholder('如 0750-3123456').fill('0750-7123456');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.locator('.t-alert').getByText('蓬江区（440703）已由「江门市公安局交通警察支队蓬江大队」负责，请先从该大队移除').waitFor();
    await dialog.locator('.t-checkbox').filter({ hasText: '蓬江区' }).click();
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect(enping.locator('td').nth(3).textContent()).resolves.toBe('0750-7123456');

    // A new dispatcher for 蓬江: listed under the brigade, and the password handed over works.
    await brigades.locator('tr.brigade-row').filter({ hasText: 'JM-PJ' }).getByRole('button', { name: '看账号' }).click();
    const accounts = page.locator('section[aria-labelledby="accounts-title"]');
    await accounts.getByRole('button', { name: '新建账号' }).click();
    const create = page.locator('.t-dialog').filter({ hasText: '新建账号' });
    await create.getByPlaceholder('3–32 位小写字母、数字或 . _ -').fill('pj-desk-07');
    await create.getByPlaceholder('如 李接警').fill('李接警');
    await expect(create.locator('.t-radio-button.t-is-checked').textContent()).resolves.toBe('接警员');
    await expect(create.locator('.brigade-select input').inputValue()).resolves.toBe('江门市公安局交通警察支队蓬江大队');
    await create.getByRole('button', { name: '随机生成' }).click();
    const password = await create.getByPlaceholder('至少 12 位').inputValue();
    expect(password).toMatch(/^[A-Za-z2-9]{16}$/);
    await create.getByRole('button', { name: '创建账号' }).click();
    const row = accounts.locator('tr.account-row').filter({ hasText: 'pj-desk-07' });
    await row.waitFor();
    expect((await row.locator('td').allTextContents()).map((c) => c.trim()).slice(0, 5)).toEqual(['pj-desk-07', '李接警', '接警员', '江门市公安局交通警察支队蓬江大队', '启用']);
    await expect(row.locator('td').nth(5).textContent()).resolves.toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    const created = (await colleague.get('/api/v1/admin/staff')).body.items.find((a: { username: string }) => a.username === 'pj-desk-07');
    expect(created).toMatchObject({ role: 'dispatcher', brigadeCode: 'JM-PJ', disabled: false });
    // Created now by the real clock; shown in Beijing time although the browser is in London.
    await expect(row.locator('td').nth(5).textContent()).resolves.toBe(beijing(created.createdAt));
    const desk = new HttpClient(t.url);
    expect((await desk.post('/api/v1/staff/login', { username: 'pj-desk-07', password })).status).toBe(200);
    await settled(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'ops-brigades.png'), fullPage: true });

    await row.getByRole('button', { name: '停用' }).click();
    await row.getByText('已停用').waitFor();
    expect((await desk.get('/api/v1/staff/me')).status).toBe(401);
    expectNoConsoleErrors([409]);
  });

  it('changes a dispatcher’s role to officer in the account dialog (its session ends; 全市 offered for a reviewer only), and resets its password: shown once with a copy button, the old one refused, the new one works', async () => {
    await createStaff({ username: 'pj-desk-08', displayName: '赵接警', role: 'dispatcher', brigadeCode: 'JM-PJ', password: PASSWORD }, t.config.PASSWORD_HASH_COST);
    const desk = new HttpClient(t.url);
    expect((await desk.post('/api/v1/staff/login', { username: 'pj-desk-08', password: PASSWORD })).status).toBe(200);
    await page.reload();
    const accounts = page.locator('section[aria-labelledby="accounts-title"]');
    const row = accounts.locator('tr.account-row').filter({ hasText: 'pj-desk-08' });
    await row.waitFor();

    await row.getByRole('button', { name: '编辑' }).click();
    const dialog = page.locator('.t-dialog').filter({ hasText: '编辑账号 pj-desk-08' });
    await dialog.waitFor();
    await settled(page);
    const roleButton = (label: string) => dialog.locator('.t-radio-button').filter({ hasText: new RegExp(`^${label}$`) });
    const brigadeOptions = async () => {
      await dialog.locator('.brigade-select').click();
      const options = page.locator('.t-popup .t-select-option');
      await options.first().waitFor();
      const texts = (await options.allTextContents()).map((x) => x.trim());
      await page.keyboard.press('Escape');
      await page.locator('.t-popup').first().waitFor({ state: 'hidden' });
      return texts;
    };
    await expect(dialog.locator('.t-radio-button.t-is-checked').textContent()).resolves.toBe('接警员');
    expect(await brigadeOptions()).not.toContain('全市（不属于大队）');
    await roleButton('复核民警').click();
    expect(await brigadeOptions()).toContain('全市（不属于大队）');
    await roleButton('民警').click();
    await expect(dialog.locator('.brigade-select input').inputValue()).resolves.toBe('江门市公安局交通警察支队蓬江大队');
    await dialog.getByText('改角色或大队会让该账号立即退出登录').waitFor();
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row.locator('td').nth(2).getByText('民警', { exact: true }).waitFor();
    expect((await colleague.get('/api/v1/admin/staff')).body.items.find((a: { username: string }) => a.username === 'pj-desk-08')).toMatchObject({ role: 'officer', brigadeCode: 'JM-PJ' });
    // Its open session ended with the change.
    expect((await desk.get('/api/v1/staff/me')).status).toBe(401);

    // 重置密码: asked once more, then the new password shown once, copied with the button.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.url });
    await row.getByRole('button', { name: '编辑' }).click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: '重置密码' }).click();
    await dialog.getByText('重置后旧密码立即失效，pj-desk-08 的登录立即结束。').waitFor();
    await dialog.getByRole('button', { name: '确认重置' }).click();
    const shown = dialog.locator('.new-password input');
    await shown.waitFor();
    const password = await shown.inputValue();
    expect(password).toMatch(/^[A-HJ-NP-Za-km-z2-9]{16}$/);
    await dialog.getByText('它只显示这一次').waitFor();
    await dialog.getByRole('button', { name: '复制' }).click();
    await page.getByText('已复制新密码').waitFor();
    await expect(page.evaluate('navigator.clipboard.readText()')).resolves.toBe(password);
    await settled(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'ops-account-reset.png'), fullPage: true });

    expect((await desk.post('/api/v1/staff/login', { username: 'pj-desk-08', password: PASSWORD })).status).toBe(401);
    expect((await desk.post('/api/v1/staff/login', { username: 'pj-desk-08', password })).status).toBe(200);
    expect((await desk.get('/api/v1/staff/me')).body).toMatchObject({ role: 'officer', brigadeCode: 'JM-PJ' });

    // Shown once: closed and opened again, the dialog offers a reset, not the password.
    await dialog.getByRole('button', { name: '取消' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row.getByRole('button', { name: '编辑' }).click();
    await dialog.getByRole('button', { name: '重置密码' }).waitFor();
    expect(await dialog.locator('.new-password').count()).toBe(0);
    await dialog.getByRole('button', { name: '取消' }).click();
    expectNoConsoleErrors();
  });
});
