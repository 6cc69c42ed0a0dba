import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Case } from '../../src/cases/case.model';
import { agentsNeeded } from '../../src/staffing/erlang-c';
import { createStaff } from '../../src/staff/staff.service';
import { caseDoc, seedBrigades } from '../../test/cases/fixtures';
import { HttpClient } from '../../test/http';
import { startTestServer, type TestServer } from '../../test/harness';

/** 排班建议 in a real headless Chromium: the grid from known cases, an hour edited and saved, a reload, a stale save. */
const DIST_DIR = process.env.CONSOLE_DIST_DIR ?? resolve(__dirname, '../dist');
const SCREENSHOTS = join(resolve(__dirname, '../../..'), 'test-output', 'console');

// The server's "today" is Wednesday 2026-11-25 (Beijing): the 8 weeks observed are 2026-09-30 … 2026-11-24.
const NOW = new Date('2026-11-25T10:00:00+08:00');
/** Every Monday 09:00–10:00 of those weeks: 20 calls, each handled in 5 minutes. */
const MONDAYS = ['2026-10-05', '2026-10-12', '2026-10-19', '2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23'];
const CALLS = 20;
const HANDLING = 300;
/** And a few calls (2–5 a week, 4 minutes) in every other hour from 08:00 to 20:00, so the week has a shape. */
const backgroundCalls = (weekday: number, hour: number) => (hour >= 8 && hour < 20 && !(weekday === 1 && hour === 9) ? 2 + ((weekday + hour) % 4) : 0);
const beijingDay = (monday: string, weekday: number) => new Date(new Date(`${monday}T12:00:00+08:00`).getTime() + (weekday - 1) * 86_400_000).toISOString().slice(0, 10);
const MONDAY_9 = 9;
/** The brigade the page opens on: the first by code. */
const BRIGADE = 'JM-EP';

jest.setTimeout(90_000);

describe('staffing page (headless Chromium)', () => {
  let t: TestServer;
  let browser: Browser;
  let page: Page;
  let ops: HttpClient;
  const pageErrors: string[] = [];
  const needed = agentsNeeded(CALLS / 3600, HANDLING, 0.8, 60);
  let totalCalls = 0;
  /** Hours with calls: every one is short while nothing is rostered. */
  const busyHours = 1 + Array.from({ length: 168 }, (_, i) => backgroundCalls(Math.floor(i / 24) + 1, i % 24)).filter((n) => n > 0).length;

  beforeAll(async () => {
    if (!existsSync(join(DIST_DIR, 'index.html'))) throw new Error(`${DIST_DIR}/index.html is missing: build the console first`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    t = await startTestServer({ env: { CONSOLE_DIST_DIR: DIST_DIR } });
    t.services.clock = () => NOW;
    await seedBrigades();
    await createStaff({ username: 'e2e-staffing', displayName: '排班运维', role: 'ops', password: 'staffing-e2e-password' }, t.config.PASSWORD_HASH_COST);
    ops = new HttpClient(t.url);
    await ops.post('/api/v1/staff/login', { username: 'e2e-staffing', password: 'staffing-e2e-password' });
    const call = (reportedAt: Date, handling: number) => {
      const answeredAt = new Date(reportedAt.getTime() + 20_000);
      return caseDoc({ brigadeCode: BRIGADE, state: 'closed', reportedAt, queuedAt: reportedAt, answeredAt, releasedAt: new Date(answeredAt.getTime() + handling * 1000) });
    };
    const docs = MONDAYS.flatMap((day) => Array.from({ length: CALLS }, (_, k) => call(new Date(`${day}T09:${String(k * 3).padStart(2, '0')}:00+08:00`), HANDLING)));
    for (const monday of MONDAYS) {
      for (let weekday = 1; weekday <= 7; weekday++) {
        const day = beijingDay(monday, weekday);
        // The week of 11-23 has only its Monday and Tuesday inside the window (it ends at 11-25 00:00).
        if (day >= '2026-11-25') continue;
        for (let hour = 8; hour < 20; hour++) {
          for (let k = 0; k < backgroundCalls(weekday, hour); k++) docs.push(call(new Date(`${day}T${String(hour).padStart(2, '0')}:${String(k * 11).padStart(2, '0')}:00+08:00`), 240));
        }
      }
    }
    await Case.insertMany(docs);
    totalCalls = docs.length;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    // A browser in another zone: the grid must still be in Beijing hours.
    page = await (await browser.newContext({ locale: 'zh-CN', timezoneId: 'Europe/Berlin', viewport: { width: 1440, height: 1000 } })).newPage();
    // The staffing answer reads eight weeks of cases: on a loaded two-core CI box a reload took over 10 s.
    page.setDefaultTimeout(25_000);
    page.on('pageerror', (err) => pageErrors.push(err.message));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const cell = (index: number) => page.locator(`#slot-${index}`);
  const input = (index: number) => cell(index).locator('input');

  it('shows the week with the short hour, its detail, and saves an edited hour that a reload shows', async () => {
    expect(needed).toBeGreaterThanOrEqual(2);
    await page.goto(`${t.url}/console/`);
    await page.getByPlaceholder('请输入用户名').fill('e2e-staffing');
    await page.getByPlaceholder('请输入密码').fill('staffing-e2e-password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('排班建议', { exact: true }).click();

    await page.locator('table.grid').waitFor();
    await expect(page.locator('#roster-unsaved').textContent()).resolves.toContain('还没有保存过排班');
    await expect(page.locator('.subtitle').textContent()).resolves.toMatch(new RegExp(`恩平.*2026-09-30 至 2026-11-24（8 周）共 ${totalCalls} 次来电`));
    // Monday 09:00 Beijing: short (0 rostered), its need in the corner; 07:00 has no calls.
    await expect(cell(MONDAY_9).getAttribute('class')).resolves.toMatch(/\bshort\b/);
    await expect(cell(MONDAY_9).locator('.need').textContent()).resolves.toBe(`需${needed}`);
    await expect(cell(MONDAY_9 - 2).getAttribute('class')).resolves.toMatch(/\bidle\b/);
    await expect(page.locator('#short-summary').textContent()).resolves.toMatch(new RegExp(`^\\s*${busyHours} 个时段排班少于建议`));

    await cell(MONDAY_9).hover();
    const detail = page.locator('#hour-detail');
    await expect(detail.textContent()).resolves.toMatch(/星期一 09:00–10:00.*20\.0 次\/小时（近 8 周共 160 次）.*5 分 00 秒（本时段 160 件已放行）.*建议\s*\d+ 人.*60 秒内接听/s);

    await input(MONDAY_9).fill(String(needed));
    const edited = await cell(MONDAY_9).getAttribute('class');
    expect(edited).toMatch(/\bedited\b/);
    expect(edited).toMatch(/\bmet\b/);
    await expect(page.locator('#short-summary').textContent()).resolves.toMatch(new RegExp(`^\\s*${busyHours - 1} 个时段`));
    await input(MONDAY_9).hover();
    await page.mouse.move(10, 990); // off the grid: the detail shows the picked (edited) hour
    await expect(detail.textContent()).resolves.toContain(`修改为${needed} 人（未保存；达到建议人数`);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SCREENSHOTS, 'staffing.png'), fullPage: true });

    await page.getByRole('button', { name: '保存排班' }).click();
    await page.getByText('排班已保存（第 1 版）').waitFor();
    const roster = (await ops.get(`/api/v1/admin/rosters/${BRIGADE}`)).body;
    expect(roster).toMatchObject({ rev: 1, saved: true, changedBy: 'e2e-staffing' });
    expect(roster.dispatchers[MONDAY_9]).toBe(needed);
    expect(roster.dispatchers.filter((n: number) => n !== 0)).toHaveLength(1);

    await page.reload();
    await page.locator('table.grid').waitFor();
    await expect(input(MONDAY_9).inputValue()).resolves.toBe(String(needed));
    await expect(cell(MONDAY_9).getAttribute('class')).resolves.toMatch(/\bmet\b/);
    await expect(cell(MONDAY_9).getAttribute('class')).resolves.not.toMatch(/\bedited\b/);
    expect(await page.locator('#roster-unsaved').count()).toBe(0);
    await expect(page.locator('.roster-status').textContent()).resolves.toContain('排班第 1 版，e2e-staffing 于');
    expect(pageErrors).toEqual([]);
  });

  it('says when someone else saved meanwhile, and a reload shows their roster', async () => {
    // Someone else saves revision 2 behind this page's back.
    const theirs = Array.from({ length: 168 }, (_, i) => (i === MONDAY_9 ? needed + 1 : 0));
    expect((await ops.request('PUT', `/api/v1/admin/rosters/${BRIGADE}`, { basedOnRev: 1, dispatchers: theirs }, { headers: { 'x-console-request': '1' } })).status).toBe(200);

    await input(MONDAY_9 + 1).fill('2');
    await page.getByRole('button', { name: '保存排班' }).click();
    const conflict = page.locator('#roster-conflict');
    await conflict.waitFor();
    await expect(conflict.textContent()).resolves.toContain('其他人刚刚保存了这个大队的新排班');
    expect((await ops.get(`/api/v1/admin/rosters/${BRIGADE}`)).body.dispatchers).toEqual(theirs);

    await conflict.getByRole('button', { name: '重新加载' }).click();
    await conflict.waitFor({ state: 'detached' });
    await page.getByText(/排班第 2 版/).waitFor();
    await expect(input(MONDAY_9).inputValue()).resolves.toBe(String(needed + 1));
    await expect(input(MONDAY_9 + 1).inputValue()).resolves.toBe('0');
    expect(pageErrors).toEqual([]);
  });
});
