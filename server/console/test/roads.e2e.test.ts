import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import destination from '@turf/destination';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Case } from '../../src/cases/case.model';
import { createStaff } from '../../src/staff/staff.service';
import { startTestServer, type TestServer } from '../../test/harness';
import { caseDoc, DURING_HOURS, pointIn, seedBrigades } from '../../test/cases/fixtures';

/** The road-layer page in a real headless Chromium: a refused upload road by road, the map, a click that asks the rules. */
const DIST_DIR = process.env.CONSOLE_DIST_DIR ?? resolve(__dirname, '../dist');
const SCREENSHOTS = join(resolve(__dirname, '../../..'), 'test-output', 'console');
const KAIPING = pointIn('440783');
const HESHAN = pointIn('440784');

jest.setTimeout(90_000);

describe('road layer page (headless Chromium)', () => {
  let t: TestServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(DIST_DIR, 'index.html'))) throw new Error(`${DIST_DIR}/index.html is missing: run \`npm run build:console\` first`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    t = await startTestServer({ env: { CONSOLE_DIST_DIR: DIST_DIR } });
    t.services.clock = DURING_HOURS;
    await seedBrigades();
    await createStaff({ username: 'e2e-roads', displayName: '吴运维', role: 'ops', password: 'ops-roads-password' }, t.config.PASSWORD_HASH_COST);
    // A few cases of the last days, so the map has points of each kind.
    const now = DURING_HOURS().getTime();
    await Case.create([
      caseDoc({ reportedAt: new Date(now - 3600_000), state: 'queued' }),
      caseDoc({ reportedAt: new Date(now - 26 * 3600_000), state: 'released', brigadeCode: 'JM-KP', districtName: '开平市', location: { lat: KAIPING.lat + 0.03, lng: KAIPING.lng + 0.03, accuracyM: 10, reportedAs: 'gcj02' } }),
      caseDoc({ reportedAt: new Date(now - 50 * 3600_000), state: 'redirected', brigadeCode: 'JM-HS', districtName: '鹤山市', location: { lat: 22.68, lng: 112.9, accuracyM: 10, reportedAs: 'gcj02' } }),
    ]);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    page = await (await browser.newContext({ locale: 'zh-CN', timezoneId: 'America/New_York', viewport: { width: 1440, height: 1000 } })).newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (err) => pageErrors.push(err.message));

    await page.goto(`${t.url}/console/`);
    await page.getByPlaceholder('请输入用户名').fill('e2e-roads');
    await page.getByPlaceholder('请输入密码').fill('ops-roads-password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('路网图层', { exact: true }).first().click();
    await page.getByText('第 0 版').waitFor();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('an upload with a bad road is refused: the road by its index, name and problem in a table, nothing replaced', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roads-e2e-'));
    const file = join(dir, 'excluded-roads.geojson');
    const layer = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { name: '江珠高速', class: 'expressway' }, geometry: { type: 'LineString', coordinates: [[113.12, 22.52], [113.16, 22.5]] } },
        { type: 'Feature', properties: { name: '江门大道', class: 'excluded_road' }, geometry: { type: 'LineString', coordinates: [[22.58, 113.08], [22.59, 113.0812]] } },
        { type: 'Feature', properties: { class: 'ring_road' }, geometry: { type: 'LineString', coordinates: [[113.05, 22.4], [113.06, 22.41]] } },
      ],
    };
    writeFileSync(file, JSON.stringify(layer, null, 2));

    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByText('excluded-roads.geojson').waitFor();
    await expect(page.getByText('3 条道路', { exact: false }).first().isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: '上传并替换当前图层' }).click();

    const table = page.locator('.feature-errors');
    await table.waitFor();
    await page.getByText('文件未被接受：2 条道路有问题').waitFor();
    const rows = table.locator('tbody tr');
    await expect(rows.count()).resolves.toBe(2);
    const first = (await rows.nth(0).innerText()).replace(/\s+/g, ' ');
    expect(first).toContain('features[1]');
    expect(first).toContain('江门大道');
    expect(first).toContain('经纬度写反了');
    const second = (await rows.nth(1).innerText()).replace(/\s+/g, ' ');
    expect(second).toContain('features[2]');
    expect(second).toContain('（无名称）');
    expect(second).toContain('缺少道路名称');
    await page.getByText('当前仍是第 0 版').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'roads-errors.png'), fullPage: true });

    // Nothing was replaced: the server still has the shipped layer.
    const current = await page.evaluate(async () => (await fetch('/api/v1/admin/road-layer', { headers: { 'x-console-request': '1' } })).json());
    expect(current).toMatchObject({ version: 0, featureCount: 2 });
  });

  it('draws the map and answers a click with the verdicts and the brigade', async () => {
    const map = page.locator('.geo-map');
    await map.waitFor();
    await map.scrollIntoViewIfNeeded();
    // The vectors are drawn on a canvas: count what was painted, and the roads' red among it.
    const canvas = page.locator('.leaflet-overlay-pane canvas').first();
    await canvas.waitFor();
    const painted = async () =>
      canvas.evaluate((c) => {
        const el = c as unknown as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
        const data = el.getContext('2d').getImageData(0, 0, el.width, el.height).data;
        let any = 0;
        let red = 0;
        for (let i = 0; i < data.length; i += 4) {
          if (data[i + 3]! > 0) any++;
          if (data[i + 3]! > 200 && data[i]! > 190 && data[i + 1]! < 110 && data[i + 2]! < 110) red++;
        }
        return { any, red, total: el.width * el.height };
      });
    let drawn = await painted();
    for (let tries = 0; drawn.red === 0 && tries < 30; tries++) {
      await page.waitForTimeout(100);
      drawn = await painted();
    }
    expect(drawn.any / drawn.total).toBeGreaterThan(0.1); // the districts' fill covers much of the map (the canvas reaches past the view)
    expect(drawn.red).toBeGreaterThan(50); // the excluded roads

    // The map is fitted to the city: every district's inner point is inside the map's box.
    const box = (await map.boundingBox())!;
    const pixelOf = (at: { lat: number; lng: number }) => map.evaluate((el, p) => (el as unknown as { pixelOf(lat: number, lng: number): { x: number; y: number } }).pixelOf(p.lat, p.lng), at);
    for (const adcode of ['440703', '440704', '440705', '440781', '440783', '440784', '440785']) {
      const { x, y } = await pixelOf(pointIn(adcode));
      expect(x).toBeGreaterThan(0);
      expect(x).toBeLessThan(box.width);
      expect(y).toBeGreaterThan(0);
      expect(y).toBeLessThan(box.height);
    }

    // A district's name and brigade on hover.
    const heshan = await pixelOf(HESHAN);
    await page.mouse.move(box.x + heshan.x, box.y + heshan.y);
    await page.locator('.leaflet-tooltip', { hasText: '鹤山市 · 鹤山市公安局交通警察大队' }).waitFor();

    // A click in 开平市: accepted, 开平's brigade, each rule in words.
    const kaiping = await pixelOf(KAIPING);
    await map.click({ position: { x: kaiping.x, y: kaiping.y } });
    const panel = page.locator('aside.probe');
    await panel.getByText('可以受理', { exact: true }).waitFor();
    const text = await panel.innerText();
    expect(text).toContain('开平市公安局交通警察大队');
    expect(text).toMatch(/服务时间：\s*通过/);
    expect(text).toMatch(/服务范围（辖区）：\s*通过/);
    expect(text).toMatch(/排除道路：\s*通过/);
    expect(text).toContain('事故地点在开平市');
    // The time it was judged at is Beijing time, whatever the browser's zone (New York here).
    expect(text).toContain('按北京时间 2026-11-25 10:00 判断');
    await page.mouse.move(box.x + box.width + 20, box.y + 5);
    await page.waitForTimeout(300);
    // The page scrolls inside the ops shell, so a full-page shot would cut the map: shoot its section.
    await page.locator('section[aria-labelledby=layer-map]').screenshot({ path: join(SCREENSHOTS, 'roads-map.png') });
    expect(pageErrors).toEqual([]);
  });

  it('zoomed in on 江门大道: the buffer is shaded, and a click 10 m off the line is refused with the road’s name', async () => {
    const map = page.locator('.geo-map');
    const box = (await map.boundingBox())!;
    const pixelOf = (at: { lat: number; lng: number }) => map.evaluate((el, p) => (el as unknown as { pixelOf(lat: number, lng: number): { x: number; y: number } }).pixelOf(p.lat, p.lng), at);
    // The middle of the demo line's third segment (113.0840, 22.6000 → 113.0815, 22.5790), which runs about north–south.
    const onLine = { lat: (22.6 + 22.579) / 2, lng: (113.084 + 113.0815) / 2 };
    const [lng, lat] = destination([onLine.lng, onLine.lat], 10, 90, { units: 'meters' }).geometry.coordinates as [number, number];
    // Leaflet zooms around the cursor on the wheel: a few turns bring a 30 m band to tens of pixels.
    const metresAcross = async () => (await pixelOf({ lat: onLine.lat, lng: onLine.lng + 0.001 })).x - (await pixelOf(onLine)).x;
    for (let turn = 0; turn < 12 && (await metresAcross()) < 60; turn++) {
      const here = await pixelOf(onLine);
      await page.mouse.move(box.x + here.x, box.y + here.y);
      await page.mouse.wheel(0, -120);
      await page.waitForTimeout(500);
    }
    const near = await pixelOf({ lat, lng });
    const far = await pixelOf({ lat: onLine.lat, lng: onLine.lng + 0.001 });
    expect(far.x - near.x).toBeGreaterThan(40); // ~100 m is well over 40 px now
    expect(near.x).toBeGreaterThan(0);
    expect(near.x).toBeLessThan(box.width);

    await map.click({ position: { x: near.x, y: near.y } });
    const panel = page.locator('aside.probe');
    await panel.getByText('不予受理', { exact: true }).waitFor();
    const text = await panel.innerText();
    expect(text).toMatch(/排除道路：\s*不通过/);
    expect(text).toContain('事故地点在江门大道上');
    expect(text).toMatch(/距「江门大道」中心线 \d+ 米，在 30 米缓冲范围内/);
    expect(text).toContain('江门市公安局交通警察支队'); // still says whose area it is
    await page.mouse.move(box.x + box.width + 20, box.y + 5); // off the map: no hover tooltip in the shot
    await page.waitForTimeout(300);
    await page.locator('section[aria-labelledby=layer-map]').screenshot({ path: join(SCREENSHOTS, 'roads-map-zoomed.png') });
    expect(pageErrors).toEqual([]);
  });

  it('a good file replaces the layer: the new summary, who uploaded it and when in Beijing time, the old answer cleared', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roads-e2e-'));
    const file = join(dir, 'jiangmen-2026.geojson');
    const layer = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { name: '江珠高速', class: 'expressway' }, geometry: { type: 'LineString', coordinates: [[113.12, 22.52], [113.16, 22.5], [113.2, 22.47]] } },
        { type: 'Feature', properties: { name: '江门大道', class: 'excluded_road' }, geometry: { type: 'LineString', coordinates: [[113.084, 22.6], [113.0815, 22.579]] } },
      ],
    };
    writeFileSync(file, JSON.stringify(layer));
    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByRole('button', { name: '上传并替换当前图层' }).click();
    const summary = page.locator('dl.layer-summary');
    await summary.getByText('第 1 版').waitFor();
    await page.getByText('已启用第 1 版路网图层（2 条道路）').waitFor();
    const text = (await summary.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('2 条：江珠高速、江门大道');
    expect(text).not.toContain('示意数据');
    // The upload time as the server stored it, shown in Beijing time although the browser is in New York.
    const current = (await page.evaluate(async () => (await fetch('/api/v1/admin/road-layer', { headers: { 'x-console-request': '1' } })).json())) as { uploadedAt: string };
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
        .formatToParts(new Date(current.uploadedAt))
        .map((p) => [p.type, p.value]),
    );
    expect(text).toContain(`e2e-roads · ${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}（北京时间）`);
    // The refusal from before is gone, and so is the answer given under the old roads.
    await expect(page.locator('.feature-errors').count()).resolves.toBe(0);
    await page.locator('aside.probe').getByText('点击地图上任意一点', { exact: false }).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
