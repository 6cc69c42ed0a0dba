import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DateTime } from 'luxon';
import { chromium, type Browser, type ConsoleMessage, type Page, type Request, type Response } from 'playwright-core';
import type { StatisticsResponse } from '../../../typings/api/statistics';
import { loadHistory } from '../../../scripts/demo/history-load';
import { generateHistory, type GeneratedHistory } from '../../../scripts/demo/history-model';
import { createStaff } from '../../src/staff/staff.service';
import { seedBrigades } from '../../test/cases/fixtures';
import { startTestServer, type TestServer } from '../../test/harness';

/**
 * The statistics page of the built console in a real headless Chromium against the real app, over a
 * generated month of two brigades' cases (the demo history generator): ops log in and land on it;
 * every chart is drawn (pixels on its canvas, bars in the series colour); the 5-minute figure is the
 * API's and the one this test counts itself from the generated cases; a brigade and a date preset
 * reload it; a brigade without cases shows the empty state; a failed load shows the server's message
 * and 重试; 导出 CSV saves the server's file (BOM, Chinese header) for the same filters. The browser
 * runs on London time: the days and times shown are Beijing's.
 * Needs a console build (`npm run build:console`, or CONSOLE_DIST_DIR).
 */
const REPO_ROOT = resolve(__dirname, '../../..');
const DIST_DIR = process.env.CONSOLE_DIST_DIR ?? resolve(__dirname, '../dist');
const SCREENSHOTS = join(REPO_ROOT, 'test-output', 'console');
const ZONE = 'Asia/Shanghai';
const PASSWORD = 'dashboard-ops-password';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
/** The charts the page draws when there are redirect reasons to show. */
const CHARTS = ['每小时报案量与在岗接警员人数', '每周 5 分钟内办结率与 60 秒内接听率', '每日报案与放行件数', '接听等待时长分布', '处置时长分布', '按星期的日均报案', '按小时的日均报案', '办理结果构成', '转其他方式的原因'];
/** The series blue of the bars (CHART_COLORS[0], #0052d9). */
const BLUE = [0x00, 0x52, 0xd9] as const;

jest.setTimeout(120_000);

/** Beijing wall-clock "2026-11-25 10:03" of an instant, computed here independently of the console. */
function beijing(at: Date): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** The 5-minute service level counted from the generated documents, by the contract's definition. */
function serviceLevelOf(history: GeneratedHistory, from: string, to: string, brigade?: string): { eligible: number; within: number } {
  let eligible = 0;
  let within = 0;
  for (const c of history.cases) {
    const day = DateTime.fromJSDate(c.reportedAt as Date, { zone: ZONE }).toISODate()!;
    if (day < from || day > to || (brigade && c.brigadeCode !== brigade)) continue;
    if (!c.answeredAt || c.state === 'in_call' || c.state === 'collecting') continue;
    eligible++;
    if (c.releasedAt && (c.releasedAt as Date).getTime() - (c.answeredAt as Date).getTime() <= 300_000) within++;
  }
  return { eligible, within };
}

describe('statistics dashboard (headless Chromium)', () => {
  let t: TestServer;
  let browser: Browser;
  let page: Page;
  let history: GeneratedHistory;
  const today = DateTime.now().setZone(ZONE).toISODate()!;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(DIST_DIR, 'index.html'))) throw new Error(`${DIST_DIR}/index.html is missing: run \`npm run build:console\` first`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    t = await startTestServer({ env: { CONSOLE_DIST_DIR: DIST_DIR } });
    await seedBrigades();
    await createStaff({ username: 'dash-ops', displayName: '周运维', role: 'ops', password: PASSWORD }, t.config.PASSWORD_HASH_COST);
    // A month of 蓬江 and 新会 at a fifth of their volume: a few hundred cases, every outcome among them.
    history = generateHistory({ months: 1, seed: 13, until: today, volume: 0.2, brigades: ['JM-PJ', 'JM-XH'] });
    await loadHistory(history);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Europe/London', viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('console', (msg: ConsoleMessage) => {
      if (msg.type() === 'error') consoleErrors.push(`${msg.text()} ${msg.location().url}`);
    });
    page.on('pageerror', (err) => consoleErrors.push(`uncaught: ${err.message}`));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const isStatistics = (r: Request | Response) => new URL(r.url()).pathname === '/api/v1/admin/statistics';
  const queryOf = (r: Response) => Object.fromEntries(new URL(r.url()).searchParams);
  const leadFigure = () => page.locator('#tile-service-level .tile-number').innerText();

  /** The API's own answer for the same filters, with the browser's session cookie. */
  async function apiStatistics(query: Record<string, string>): Promise<StatisticsResponse> {
    const res = await page.request.get(`${t.url}/api/v1/admin/statistics?${new URLSearchParams(query).toString()}`);
    expect(res.status()).toBe(200);
    return (await res.json()) as StatisticsResponse;
  }

  /** Share of a canvas's pixels that are painted, and of them how many are the bars' blue. */
  async function canvasPixels(label: string): Promise<{ width: number; painted: number; blue: number; dataUrlLength: number }> {
    const canvas = page.getByRole('img', { name: label }).locator('canvas').first();
    await canvas.scrollIntoViewIfNeeded();
    // A function, not a string: the console's CSP refuses to evaluate strings.
    return canvas.evaluate((el, blue) => {
      const c = el as unknown as {
        width: number;
        height: number;
        toDataURL(): string;
        getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
      };
      const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
      let painted = 0;
      let blueish = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3]! === 0) continue;
        painted++;
        if (Math.abs(data[i]! - blue[0]) < 12 && Math.abs(data[i + 1]! - blue[1]) < 12 && Math.abs(data[i + 2]! - blue[2]) < 12) blueish++;
      }
      const total = c.width * c.height;
      return { width: c.width, painted: painted / total, blue: blueish / total, dataUrlLength: c.toDataURL().length };
    }, BLUE);
  }

  it('lands ops on the dashboard: the 5-minute figure is the API\'s and the cases\' own, every chart is drawn, days and times are Beijing\'s', async () => {
    await page.goto(`${t.url}/console/`);
    await page.getByPlaceholder('请输入用户名').fill('dash-ops');
    await page.getByPlaceholder('请输入密码').fill(PASSWORD);
    const loaded = page.waitForResponse((r) => isStatistics(r) && r.status() === 200);
    await page.getByRole('button', { name: '登录' }).click();
    const response = await loaded;
    const shown = (await response.json()) as StatisticsResponse;
    // The default range: the last 30 Beijing days, today included, the whole city.
    const from = DateTime.fromISO(today, { zone: ZONE }).minus({ days: 29 }).toISODate()!;
    expect(queryOf(response)).toEqual({ from, to: today });
    await page.locator('#tile-service-level').waitFor({ state: 'visible' });

    // The lead figure: what the API answers, and what this test counts from the generated cases.
    const api = await apiStatistics({ from, to: today });
    const mine = serviceLevelOf(history, from, today);
    expect(mine.eligible).toBeGreaterThan(50);
    expect({ eligible: api.serviceLevel.eligible, within: api.serviceLevel.releasedWithin }).toEqual(mine);
    expect(await leadFigure()).toBe((api.serviceLevel.share! * 100).toFixed(1));
    expect(await page.locator('#tile-service-level').innerText()).toEqual(expect.stringContaining(`其中 ${mine.within.toLocaleString('zh-CN')} 件`));
    expect(await page.locator('#tile-reported .tile-number').innerText()).toBe(api.totals.reported.toLocaleString('zh-CN'));

    // Beijing days and times on a London desk.
    const subtitle = await page.locator('#dash-subtitle').innerText();
    expect(subtitle).toEqual(expect.stringContaining(`${from} 至 ${today}（30 天）`));
    expect(subtitle).toEqual(expect.stringContaining(`数据生成于 ${beijing(new Date(shown.generatedAt))}`));

    // Every chart drawn: pixels on the canvas, and the bars in the series' blue where it has bars.
    for (const label of CHARTS) {
      const pixels = await canvasPixels(label);
      expect({ label, drawn: pixels.painted > 0.01 && pixels.dataUrlLength > 5_000 }).toEqual({ label, drawn: true });
    }
    for (const label of ['每小时报案量与在岗接警员人数', '接听等待时长分布', '每日报案与放行件数', '按小时的日均报案']) {
      expect({ label, bars: (await canvasPixels(label)).blue > 0.002 }).toEqual({ label, bars: true });
    }

    // Codes never show: outcomes and reasons in words.
    const text = await page.locator('.dashboard').innerText();
    for (const raw of ['released', 'redirected', 'OUTSIDE_HOURS', 'not_accepted', 'JM-PJ', 'undefined', 'NaN', 'null']) expect(text).not.toContain(raw);
    expect(text).toEqual(expect.stringContaining('江门市公安局交通警察支队蓬江大队'));

    await page.locator('.ops-page').evaluate((el) => el.scrollTo(0, 0));
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-top.png') });
    // The whole page in one picture: the page scrolls inside its own pane, so the window grows to fit it.
    const pane = page.locator('.ops-page');
    const height = await pane.evaluate((el) => {
      el.scrollTo(0, 0);
      return el.scrollHeight;
    });
    await page.setViewportSize({ width: 1600, height: height + 64 });
    await page.waitForTimeout(600); // the charts follow their boxes' new size
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard.png') });
    await page.setViewportSize({ width: 1600, height: 1000 });
    expect(consoleErrors.filter((e) => !(e.includes('status of 401') && e.includes('/api/v1/staff/me')))).toEqual([]);
  });

  it('a brigade reloads the figures for it; a brigade without cases shows the empty state; a date preset reloads the range', async () => {
    const reload = page.waitForResponse((r) => isStatistics(r) && r.status() === 200);
    await page.locator('.filters .t-select').click();
    await page.locator('.t-select-option:visible').filter({ hasText: '新会大队' }).click();
    const response = await reload;
    expect(queryOf(response)).toEqual(expect.objectContaining({ brigade: 'JM-XH' }));
    const xh = (await response.json()) as StatisticsResponse;
    await page.locator('#dash-subtitle').getByText('江门市公安局交通警察支队新会大队').waitFor();
    const mine = serviceLevelOf(history, xh.range.from, xh.range.to, 'JM-XH');
    expect(xh.serviceLevel.releasedWithin).toBe(mine.within);
    expect(await leadFigure()).toBe((xh.serviceLevel.share! * 100).toFixed(1));
    expect(await page.locator('#tile-reported .tile-number').innerText()).toBe(xh.totals.reported.toLocaleString('zh-CN'));

    const none = page.waitForResponse((r) => isStatistics(r) && r.status() === 200);
    await page.locator('.filters .t-select').click();
    await page.locator('.t-select-option:visible').filter({ hasText: '恩平' }).click();
    expect(queryOf(await none)).toEqual(expect.objectContaining({ brigade: 'JM-EP' }));
    expect(await page.locator('#dash-empty').innerText()).toEqual(expect.stringContaining('所选区间没有报案'));

    const all = page.waitForResponse((r) => isStatistics(r) && r.status() === 200);
    await page.locator('.filters .t-select').click();
    await page.locator('.t-select-option:visible').filter({ hasText: /^全市$/ }).click();
    await all;
    const week = page.waitForResponse((r) => isStatistics(r) && r.status() === 200);
    await page.locator('.filters .t-range-input').click();
    await page.getByText('近 7 天', { exact: true }).click();
    const seven = await week;
    expect(queryOf(seven)).toEqual({ from: DateTime.fromISO(today, { zone: ZONE }).minus({ days: 6 }).toISODate()!, to: today });
    await page.locator('#dash-subtitle').getByText('（7 天）').waitFor();
    const body = (await seven.json()) as StatisticsResponse;
    expect(await leadFigure()).toBe(body.serviceLevel.share === null ? '—' : (body.serviceLevel.share * 100).toFixed(1));
  });

  it('a failed load shows the server\'s message and 重试 loads again', async () => {
    await page.route('**/api/v1/admin/statistics?*', (route) =>
      route.fulfill({ status: 400, json: { code: 'STATISTICS_RANGE_INVALID', message: '日期范围最长 400 天，请缩短后再试' } }),
    );
    await page.getByRole('button', { name: '刷新' }).click();
    const alert = page.getByRole('alert');
    await alert.getByText('日期范围最长 400 天，请缩短后再试').waitFor();
    await page.unroute('**/api/v1/admin/statistics?*');
    const again = page.waitForResponse((r) => isStatistics(r) && r.status() === 200);
    await alert.getByRole('button', { name: '重试' }).click();
    await again;
    await page.locator('#tile-service-level').waitFor({ state: 'visible' });
    expect(await page.getByRole('alert').count()).toBe(0);
    consoleErrors.splice(0); // the refused load logged its 400
  });

  it('导出 CSV saves the server\'s per-brigade table for the filters on screen: UTF-8 BOM, Chinese header', async () => {
    const downloading = page.waitForEvent('download');
    await page.locator('.export-per-brigade button').click();
    const download = await downloading;
    const file = readFileSync((await download.path())!);
    expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = file.toString('utf8').slice(1);
    const [header, ...rows] = text.split(/\r?\n/).filter(Boolean);
    expect(header!.startsWith('大队代码,大队名称,报案数,放行数,')).toBe(true);
    // For the filters on screen (the last 7 days, whole city): 蓬江's row has the API's figures of that range.
    const from = DateTime.fromISO(today, { zone: ZONE }).minus({ days: 6 }).toISODate()!;
    const pj = (await apiStatistics({ from, to: today })).perBrigade.find((b) => b.brigadeCode === 'JM-PJ')!;
    expect(rows.find((r) => r.startsWith('JM-PJ,'))).toEqual(expect.stringMatching(new RegExp(`^JM-PJ,${pj.brigadeName},${pj.reported},${pj.released},`)));
    expect(pj.reported).toBeGreaterThan(0);
    // Byte for byte the server's file for those filters.
    const direct = await page.request.get(`${t.url}/api/v1/admin/statistics/export/per-brigade.csv?from=${from}&to=${today}`);
    expect(file.equals(await direct.body())).toBe(true);
    expect(rows.length).toBeGreaterThanOrEqual(7); // every brigade, zeros included
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    expect(consoleErrors).toEqual([]);
  });
});
