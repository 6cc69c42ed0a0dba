import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page, type Response } from 'playwright-core';
import type { AuditSearchResponse } from '../../../typings/api/audit';
import { createStaff } from '../../src/staff/staff.service';
import { seedBrigades } from '../../test/cases/fixtures';
import { startTestServer, type TestServer } from '../../test/harness';
import { HttpClient } from '../../test/http';
import { parseCsv } from '../../test/audit/parse-csv';

/**
 * The ops' audit log and scenario library in the built console, in a real headless Chromium on London
 * time: another ops member suspends the service through the API; the audit page finds it by action and
 * shows it in words at Beijing time, opens it to its details, exports the same search as CSV, and says
 * the chain is 完整. In 情形库 a title is edited and saved as the next revision, which a reload shows;
 * a save against a revision someone else has replaced meanwhile is refused and the page reloads.
 * Needs a console build (`npm run build:console`, or CONSOLE_DIST_DIR).
 */
const REPO_ROOT = resolve(__dirname, '../../..');
const DIST_DIR = process.env.CONSOLE_DIST_DIR ?? resolve(__dirname, '../dist');
const SCREENSHOTS = join(REPO_ROOT, 'test-output', 'console');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const PASSWORD = 'audit-ops-password-1';
const WRITE = { headers: { 'x-console-request': '1' } };

jest.setTimeout(120_000);

/** "2026-11-25 10:03:27" in Beijing, computed here independently of the console. */
function beijing(at: Date): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

describe('ops audit log and scenario library (headless Chromium)', () => {
  let t: TestServer;
  let browser: Browser;
  let page: Page;
  let duty: HttpClient;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(DIST_DIR, 'index.html'))) throw new Error(`${DIST_DIR}/index.html is missing: run \`npm run build:console\` first`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    t = await startTestServer({ env: { CONSOLE_DIST_DIR: DIST_DIR } });
    await seedBrigades();
    await createStaff({ username: 'audit-ops', displayName: '周运维', role: 'ops', password: PASSWORD }, t.config.PASSWORD_HASH_COST);
    await createStaff({ username: 'duty-ops', displayName: '值班运维', role: 'ops', password: PASSWORD }, t.config.PASSWORD_HASH_COST);
    duty = new HttpClient(t.url);
    await duty.post('/api/v1/staff/login', { username: 'duty-ops', password: PASSWORD });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Europe/London', viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (err) => pageErrors.push(err.message));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Waits until the page names this revision (what it shows first is 正在加载…). */
  const revision = (shown: RegExp) => page.locator('#scenario-revision').filter({ hasText: shown }).waitFor();
  const isSearch = (r: Response) => new URL(r.url()).pathname === '/api/v1/admin/audit';

  it('finds an action in words at Beijing time, exports it, and shows the chain 完整', async () => {
    const suspended = await duty.post('/api/v1/admin/suspensions', { brigadeCode: null, reason: '大雾，能见度不足 50 米' }, WRITE);
    expect(suspended.status).toBe(201);
    expect((await duty.post(`/api/v1/admin/suspensions/${suspended.body.id}/lift`, {}, WRITE)).status).toBe(200);

    await page.goto(`${t.url}/console/`);
    await page.getByPlaceholder('请输入用户名').fill('audit-ops');
    await page.getByPlaceholder('请输入密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    const firstSearch = page.waitForResponse((r) => isSearch(r) && r.status() === 200);
    await page.getByRole('navigation', { name: '运维功能' }).getByText('审计日志').click();
    await firstSearch;
    await page.locator('.chain-ok').waitFor();

    // 操作: 暂停服务, picked by its words.
    await page.locator('.filter-action').click();
    await page.locator('.filter-action input').fill('暂停服务');
    await page.locator('.t-select-option', { hasText: /^暂停服务$/ }).click();
    const searched = page.waitForResponse((r) => isSearch(r) && new URL(r.url()).searchParams.get('action') === 'service.suspend');
    await page.getByRole('button', { name: '查询' }).click();
    const found = (await (await searched).json()) as AuditSearchResponse;
    expect(found.items).toHaveLength(1);
    const entry = found.items[0]!;

    const rows = page.locator('.audit-table tbody tr:not(.t-table__expanded-row)');
    await expect(rows.count()).resolves.toBe(1);
    const cells = await rows.first().locator('td').allInnerTexts();
    // (the expand toggle,) 时间 (Beijing, not London), 操作人, 角色, 操作, 对象.
    expect(cells.slice(1, 6).map((c) => c.trim())).toEqual([beijing(new Date(entry.at)), '值班运维', '运维', '暂停服务', `服务暂停 ${suspended.body.id}`]);
    await rows.first().click();
    const details = page.locator('.details');
    await details.waitFor();
    await expect(details.innerText()).resolves.toMatch(/原因\s+大雾，能见度不足 50 米/);
    await expect(details.innerText()).resolves.toContain(`请求号：${suspended.headers.get('x-request-id')}`);

    // 导出 CSV: the same filters, the server's file.
    const downloading = page.waitForEvent('download');
    const asked = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/v1/admin/audit/export.csv');
    await page.getByRole('button', { name: '导出 CSV' }).click();
    expect(Object.fromEntries(new URL((await asked).url()).searchParams)).toEqual({ action: 'service.suspend' });
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^审计日志-\d{8}-\d{4}\.csv$/);
    const file = readFileSync((await download.path())!);
    expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = parseCsv(file.subarray(3).toString('utf8'));
    expect(csv).toHaveLength(1);
    expect(csv[0]).toMatchObject({ 序号: String(entry.seq), '时间（北京时间）': beijing(new Date(entry.at)), 操作人: '值班运维', 角色: '运维', 操作: '暂停服务', 请求号: entry.requestId });

    // 校验: asks again, still whole.
    const verified = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/admin/audit/verify');
    await page.getByRole('button', { name: '校验' }).click();
    expect((await (await verified).json()).ok).toBe(true);
    await expect(page.locator('.chain-ok').innerText()).resolves.toMatch(/^完整（已校验 \d+ 条）$/);

    await page.waitForTimeout(400);
    await page.screenshot({ path: join(SCREENSHOTS, 'ops-audit.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('edits a scenario title in 情形库 and saves the next revision, which a reload shows', async () => {
    await page.getByRole('navigation', { name: '运维功能' }).getByText('情形库').click();
    await revision(/^第 0 版 · 系统内置的标准情形$/);
    const first = page.locator('.scenario-table tbody tr').first();
    await expect(first.innerText()).resolves.toContain('追尾');
    await first.getByRole('button', { name: '编辑' }).click();
    const title = page.locator('.field-title input');
    await title.fill('同车道追尾');
    await page.getByRole('button', { name: '确定' }).click();
    await page.getByText('未保存：修改 1 项').waitFor();

    const saving = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/admin/scenarios' && r.request().method() === 'PUT');
    await page.getByRole('button', { name: '保存为第 1 版' }).click();
    expect((await saving).status()).toBe(200);
    await page.getByText('未保存：').waitFor({ state: 'detached' });

    await page.reload();
    await revision(/^第 1 版 · audit-ops 保存于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}（北京时间）$/);
    await expect(page.locator('.scenario-table tbody tr').first().innerText()).resolves.toContain('同车道追尾');
    await page.locator('.history-list li').first().waitFor();
    await expect(page.locator('.history-list li').first().innerText()).resolves.toMatch(/第 1 版\s+周运维/);
    const library = (await duty.get('/api/v1/scenarios')).body;
    expect(library).toMatchObject({ rev: 1, changedBy: 'audit-ops' });
    expect(library.scenarios[0].title).toBe('同车道追尾');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SCREENSHOTS, 'ops-scenarios.png'), fullPage: true });
  });

  it('refuses a save over a revision someone else saved meanwhile, and reloads theirs', async () => {
    const row = page.locator('.scenario-table tbody tr').nth(1);
    await row.getByRole('button', { name: '停用' }).click();
    await page.locator('.t-popconfirm').getByRole('button', { name: '停用' }).click();
    await page.getByText('未保存：停用 1 项').waitFor();

    // Another ops member saves revision 2 first.
    const current = (await duty.get('/api/v1/scenarios')).body;
    current.scenarios[0].title = '追尾（他人修改）';
    expect((await duty.request('PUT', '/api/v1/admin/scenarios', { baseRev: current.rev, scenarios: current.scenarios }, WRITE)).status).toBe(200);

    await page.getByRole('button', { name: '保存为第 2 版' }).click();
    await page.getByText('情形库已被他人修改').waitFor();
    await page.getByRole('button', { name: '重新加载' }).click();
    await revision(/^第 2 版 · duty-ops/);
    await expect(page.locator('.scenario-table tbody tr').first().innerText()).resolves.toContain('追尾（他人修改）');
    expect((await duty.get('/api/v1/scenarios')).body.scenarios).toHaveLength(current.scenarios.length);
    expect(pageErrors).toEqual([]);
  });
});
