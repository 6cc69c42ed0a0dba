import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { CASE_STATES } from '../../src/cases/lifecycle';
import { createStaff } from '../../src/staff/staff.service';
import { HttpClient } from '../../test/http';
import { PENGJIANG, report, seedBrigades, verifiedDriver } from '../../test/cases/fixtures';
import { startTestServer, type TestServer } from '../../test/harness';

/**
 * The dispatcher's screens as a dispatch console, in a browser whose clock runs in Los Angeles: the
 * queue beside the brigade's map (a pin per waiting or on-call case), case numbers and addresses on
 * the rows, who is on duty and today's figures; the case screen with its number, address and a small
 * map. Every time on screen must be Beijing time, and no state may show as its code.
 * Needs a console build (npm run build:console, or CONSOLE_DIST_DIR=<a build of your own>).
 */
const REPO_ROOT = resolve(__dirname, '../../..');
const DIST_DIR = process.env.CONSOLE_DIST_DIR ?? resolve(__dirname, '../dist');
const SCREENSHOTS = join(REPO_ROOT, 'test-output', 'console');

const PASSWORD = 'dispatch-desk-password-01';
const ME = { username: 'map-e2e-chen', displayName: '陈接警', role: 'dispatcher' as const, brigadeCode: 'JM-PJ' };
const COLLEAGUE = { username: 'map-e2e-li', displayName: '李接警', role: 'dispatcher' as const, brigadeCode: 'JM-PJ' };
const WRITE = { headers: { 'x-console-request': '1' } };

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--autoplay-policy=no-user-gesture-required'];

/** A state's code (queued, in_call …) anywhere in what the page shows. */
const RAW_STATE = new RegExp(`\\b(${CASE_STATES.join('|')})\\b`);

/** Beijing wall-clock of an instant, computed here (Node), not by the page under test. */
const beijing = (at: number, parts: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('zh-CN', { ...parts, hour12: false, timeZone: 'Asia/Shanghai' }).format(new Date(at));

jest.setTimeout(90_000);

describe('the dispatch console, from a desk machine in another time zone (headless Chromium)', () => {
  let t: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** The server's clock runs this far ahead of the real one (10:00 Beijing time today at the start). */
  let offsetMs = 0;
  const consoleErrors: string[] = [];
  /** Three cases: one at a known street, one the geocoder has no address for, one on a call with 李. */
  const cases: { caseId: string; caseNo: string; address: string }[] = [];

  beforeAll(async () => {
    if (!existsSync(join(DIST_DIR, 'index.html'))) throw new Error(`${DIST_DIR}/index.html is missing: build the console first`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    t = await startTestServer({ env: { CONSOLE_DIST_DIR: DIST_DIR, QUEUE_STREAM_HEARTBEAT_MS: '1000' } });
    await seedBrigades();
    for (const person of [ME, COLLEAGUE]) await createStaff({ ...person, password: PASSWORD }, t.config.PASSWORD_HASH_COST);
    offsetMs = new Date(`${new Date().toISOString().slice(0, 10)}T10:00:00+08:00`).getTime() - Date.now();
    t.services.clock = () => new Date(Date.now() + offsetMs);
    t.fakes.tencentMap.addPlace({ ...PENGJIANG, radiusM: 100, street: '建设三路', streetNumber: '38号', district: '蓬江区', adcode: '440703' });

    // Spread over the district as a day's cases are (a few kilometres apart), all inside 蓬江区.
    const elsewhere = { lat: PENGJIANG.lat - 0.02, lng: PENGJIANG.lng + 0.01 };
    for (const [at, plate] of [[PENGJIANG, '粤J5A123'], [elsewhere, '粤J6C789'], [{ lat: PENGJIANG.lat + 0.015, lng: PENGJIANG.lng - 0.015 }, '粤J8D246']] as const) {
      const reported = await report(await verifiedDriver(t), { at, plate });
      expect(reported.status).toBe(201);
      const caseId = reported.body.caseId as string;
      cases.push({ caseId, caseNo: caseId.slice(-8).toUpperCase(), address: reported.body.place.address });
    }
    expect(cases[0]!.address).toBe('蓬江区建设三路');
    expect(cases[1]!.address).toBe(`蓬江区（${elsewhere.lat.toFixed(5)}, ${elsewhere.lng.toFixed(5)}）`);
    // 李 is at the desk too and has the third case on a call.
    const li = new HttpClient(t.url);
    await li.post('/api/v1/staff/login', { username: COLLEAGUE.username, password: PASSWORD });
    expect((await li.post(`/api/v1/desk/cases/${cases[2]!.caseId}/answer`, undefined, WRITE)).status).toBe(200);
    await li.get('/api/v1/queue');

    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'America/Los_Angeles', viewport: { width: 1600, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('console', (msg: ConsoleMessage) => {
      // The login page's first GET /staff/me (no cookie yet) is answered 401 on purpose.
      if (msg.type() === 'error' && !(msg.location().url.endsWith('/api/v1/staff/me') && msg.text().includes('status of 401'))) consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => consoleErrors.push(`uncaught: ${err.message}`));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Every state code the page shows as text (should be none). */
  const rawStates = async () => (await page.locator('body').innerText()).match(new RegExp(RAW_STATE.source, 'g')) ?? [];

  it('runs the browser in Los Angeles time', async () => {
    const zone = await page.evaluate('Intl.DateTimeFormat().resolvedOptions().timeZone');
    expect(zone).toBe('America/Los_Angeles');
  });

  it('shows the queue with case numbers and addresses beside the brigade’s map with a pin per case', async () => {
    await page.goto(`${t.url}/console/`);
    await page.getByPlaceholder('请输入用户名').fill(ME.username);
    await page.getByPlaceholder('请输入密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('实时更新').waitFor({ state: 'visible' });

    // Rows: number, address (the geocoder's, or the district and point when it had none), state in words.
    for (const c of cases.slice(0, 2)) {
      const row = page.locator(`#queue-row-${c.caseId}`);
      await row.waitFor({ state: 'visible' });
      const text = await row.innerText();
      expect(text).toContain(c.caseNo);
      expect(text).toContain(c.address);
      expect(text).toContain('排队中');
      expect(text).not.toContain('未定位');
    }
    // The server's clock says 10:00 Beijing time; the browser's zone must not move it (18:00 the day before in LA).
    const reportedAt = await page.locator(`#queue-row-${cases[0]!.caseId} .reported`).innerText();
    expect(reportedAt).toMatch(/^10:0\d:\d\d 报案$/);
    // "更新于" is this machine's own moment, shown in Beijing time.
    const updated = (await page.locator('.queue-meta').innerText()).match(/更新于 (\d\d:\d\d:\d\d)/)![1]!;
    const nowInBeijing = beijing(Date.now(), { hour: '2-digit', minute: '2-digit' });
    const nowInLosAngeles = new Intl.DateTimeFormat('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'America/Los_Angeles' }).format(new Date());
    expect([nowInBeijing, beijing(Date.now() - 60_000, { hour: '2-digit', minute: '2-digit' })]).toContain(updated.slice(0, 5));
    expect(updated.slice(0, 5)).not.toBe(nowInLosAngeles);

    // The map: the brigade's outline and three pins, two waiting, one on a call (SVG, one path each).
    const map = page.locator('.dispatch-map');
    await map.locator('path.case-pin').first().waitFor({ state: 'attached' });
    expect(await map.locator('path.case-pin').count()).toBe(3);
    expect(await map.locator('path.case-pin--queued').count()).toBe(2);
    expect(await map.locator('path.case-pin--in_call').count()).toBe(1);
    expect(await map.locator('.leaflet-overlay-pane path:not(.case-pin)').count()).toBeGreaterThanOrEqual(1);
    expect(await map.locator('path.case-pin--queued').first().getAttribute('fill')).toBe('#e37318');
    expect(await map.locator('.legend').innerText()).toEqual(expect.stringMatching(/排队中\s*2[\s\S]*通话中\s*1/));
    // Every pin is inside the map's box (drawn where it belongs, not off-screen).
    const box = (await map.boundingBox())!;
    for (const pin of await map.locator('path.case-pin').all()) {
      const b = (await pin.boundingBox())!;
      expect(b.x).toBeGreaterThanOrEqual(box.x);
      expect(b.x + b.width).toBeLessThanOrEqual(box.x + box.width);
      expect(b.y).toBeGreaterThanOrEqual(box.y);
      expect(b.y + b.height).toBeLessThanOrEqual(box.y + box.height);
    }
    expect(consoleErrors).toEqual([]);
  });

  it('highlights the row of a pin clicked on the map', async () => {
    const map = page.locator('.dispatch-map');
    // Which pin is which: the second case's pin is the southern one of the two waiting.
    const pins = await map.locator('path.case-pin--queued').all();
    const ys = await Promise.all(pins.map(async (p) => (await p.boundingBox())!.y));
    const southern = pins[ys[0]! > ys[1]! ? 0 : 1]!;
    await southern.click({ force: true });
    const selected = page.locator('tr.selected');
    await selected.waitFor({ state: 'visible' });
    expect(await selected.getAttribute('id')).toBe(`queue-row-${cases[1]!.caseId}`);
    await map.locator('path.case-pin--selected').waitFor({ state: 'attached' });
    expect(await map.locator('.leaflet-tooltip').filter({ hasText: cases[1]!.caseNo }).count()).toBeGreaterThanOrEqual(1);
  });

  it('names who is on duty and who is on a call, and today’s figures for the brigade', async () => {
    const duty = page.locator('.on-duty');
    expect(await duty.innerText()).toEqual(expect.stringContaining('陈接警'));
    const li = duty.locator('.person').filter({ hasText: '李接警' });
    expect(await li.innerText()).toEqual(expect.stringContaining(`通话中 · ${cases[2]!.caseNo}`));
    expect(await duty.locator('.person').filter({ hasText: '陈接警' }).innerText()).toEqual(expect.stringContaining('空闲'));

    const tile = (label: string) => page.locator('.tile').filter({ hasText: label }).locator('.tile-value').innerText();
    expect(await tile('排队等待')).toBe('2');
    expect(await tile('通话中')).toBe('1');
    expect(await tile('在岗')).toBe('2');
    expect(await tile('今日报案')).toBe('3');
    expect(await tile('已接听')).toBe('1');
    expect(await tile('已放行')).toBe('0');
    expect(await tile('5 分钟放行率')).toBe('—');
    // The day the server counts by, in Beijing: the date of 10:00 Beijing time today.
    const serverNow = Date.now() + offsetMs;
    expect(await page.locator('.tile--day').innerText()).toContain(beijing(serverNow, { month: 'long', day: 'numeric' }));

    // The call in progress: its number, 李, and the answer time in Beijing time.
    const active = page.locator(`#active-${cases[2]!.caseId}`);
    const text = await active.innerText();
    expect(text).toContain(cases[2]!.caseNo);
    expect(text).toContain('李接警');
    expect(text).toMatch(/10:0\d:\d\d 接听/);
    expect(text).toContain('通话中');

    expect(await rawStates()).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'dispatch-queue.png') });
    expect(consoleErrors).toEqual([]);
  });

  it('answers a case: the case screen shows its number, address and a small map with the accident’s point', async () => {
    await page.locator(`#queue-row-${cases[0]!.caseId}`).getByRole('button', { name: '接听' }).click();
    await page.getByRole('timer').waitFor({ state: 'visible' });
    const bar = await page.locator('.call-bar').innerText();
    expect(bar).toContain(cases[0]!.caseNo);
    expect(bar).toContain('蓬江区建设三路');
    expect(bar).toMatch(/报案 10:0\d:\d\d/);
    expect(bar).toMatch(/接听 10:0\d:\d\d/);

    const card = page.locator('.place-card');
    expect(await card.innerText()).toEqual(expect.stringContaining(cases[0]!.caseNo));
    expect(await card.innerText()).toEqual(expect.stringContaining('蓬江区建设三路'));
    expect(await card.innerText()).toEqual(expect.stringContaining(`${PENGJIANG.lat.toFixed(5)}, ${PENGJIANG.lng.toFixed(5)}`));
    await card.locator('path.case-pin--here').waitFor({ state: 'attached' });
    expect(await card.locator('path.case-pin').count()).toBe(1);
    expect(await card.locator('.leaflet-overlay-pane path:not(.case-pin)').count()).toBeGreaterThanOrEqual(1);
    const mapBox = (await card.locator('.place-map').boundingBox())!;
    const pin = (await card.locator('path.case-pin--here').boundingBox())!;
    expect(pin.x).toBeGreaterThan(mapBox.x);
    expect(pin.x + pin.width).toBeLessThan(mapBox.x + mapBox.width);

    // The fake call's tiles are up (their painted clock is Beijing time too).
    await page.getByText('已连接').waitFor({ state: 'visible' });
    expect(await rawStates()).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'dispatch-case.png') });
    expect(consoleErrors).toEqual([]);
  });
});
