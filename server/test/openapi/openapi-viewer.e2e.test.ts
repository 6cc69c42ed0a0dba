import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { REPO_ROOT } from '../../src/platform/paths';
import { startTestServer, type TestServer } from '../harness';

/**
 * GET /api/docs: the API reference for people, Swagger UI bundled from our own node_modules (no CDN)
 * under a CSP that runs scripts from this origin only; in a real headless Chromium it renders the
 * operations of /api/openapi.json. Screenshots: test-output/openapi-docs.png, openapi-docs-operation.png.
 */
const SCREENSHOT = join(REPO_ROOT, 'test-output', 'openapi-docs.png');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

jest.setTimeout(60_000);

describe('GET /api/docs (Swagger UI, bundled)', () => {
  let t: TestServer;
  let browser: Browser | undefined;

  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('is an HTML page whose scripts and styles are all served here, under a CSP without inline scripts', async () => {
    const page = await fetch(`${t.url}/api/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    const html = await page.text();
    // No inline script: every <script> has a src, and nothing is loaded from another host.
    expect(html.match(/<script(?![^>]*\bsrc=)[^>]*>/g) ?? []).toEqual([]);
    const urls = [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThanOrEqual(3);
    for (const url of urls) {
      expect(url).toMatch(/^\/(?!\/)/);
      const asset = await fetch(t.url + url);
      expect({ url, status: asset.status }).toEqual({ url, status: 200 });
      expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(0);
    }
    // Only the viewer's own files: not the rest of node_modules, nor the package's sample page.
    for (const path of ['/api/docs/index.html', '/api/docs/package.json', '/api/docs/..%2F..%2Fpackage.json', '/api/docs/swagger-initializer.js']) {
      expect({ path, status: (await fetch(t.url + path)).status }).toEqual({ path, status: 404 });
    }
  });

  it('renders the operations of /api/openapi.json in headless Chromium', async () => {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    const problems: string[] = [];
    const offHost: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('request', (r) => !r.url().startsWith(t.url) && !r.url().startsWith('data:') && offHost.push(r.url()));
    await page.goto(`${t.url}/api/docs`);
    await page.locator('.opblock').first().waitFor({ timeout: 30_000 });

    await expect(page.locator('.info .title').textContent()).resolves.toContain('事故视频快处 API');
    // Operations by path and by their Chinese summary, e.g. the report route.
    const report = page.locator('.opblock-post', { has: page.locator('[data-path="/api/v1/cases"]') });
    await expect(report.locator('.opblock-summary-description').textContent()).resolves.toContain('报案');
    expect(await page.locator('.opblock').count()).toBeGreaterThan(50);

    mkdirSync(join(REPO_ROOT, 'test-output'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });

    // Opening one shows its header parameter and its responses, the shared error body among them.
    await report.locator('.opblock-summary').first().click();
    await report.getByText('idempotency-key').first().waitFor();
    await report.locator('.responses-table').getByText('429').first().waitFor();
    await report.screenshot({ path: SCREENSHOT.replace('.png', '-operation.png') });

    expect(problems).toEqual([]);
    expect(offHost).toEqual([]);
  });
});
