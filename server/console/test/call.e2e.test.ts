import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Locator, type Page } from 'playwright-core';
import { Case } from '../../src/cases/case.model';
import { createStaff } from '../../src/staff/staff.service';
import { PENGJIANG, report, seedBrigades, verifiedDriver, type TestDriver } from '../../test/cases/fixtures';
import { startTestServer, type TestServer } from '../../test/harness';

/**
 * The call view of the built console in a real headless Chromium against the real app: a dispatcher
 * answers from the live queue, asks party A for a shot, sees the upload (made through the driver API)
 * arrive live, grabs a still frame from party B's video (the fake RTC adapter paints it), checks the
 * evidence chain, runs the registry checks, releases — and the 5-minute clock stops. Then two
 * dispatchers press 接听 on the same case at once: exactly one gets the call.
 * Needs `npm run build:console` first; it builds nothing itself.
 */
const REPO_ROOT = resolve(__dirname, '../../..');
/** A console built elsewhere (CONSOLE_DIST_DIR, people working side by side each build their own), else the repo's. */
const DIST_DIR = process.env.CONSOLE_DIST_DIR ?? resolve(__dirname, '../dist');
const SCREENSHOTS = join(REPO_ROOT, 'test-output', 'console');

const PASSWORD = 'duty-desk-password-01';
/** seedBrigades() makes 蓬江 JM-PJ among the default brigades. */
const DISPATCHERS = [
  { username: 'call-e2e-1', displayName: '陈接警', role: 'dispatcher' as const, brigadeCode: 'JM-PJ' },
  { username: 'call-e2e-2', displayName: '李接警', role: 'dispatcher' as const, brigadeCode: 'JM-PJ' },
];
const PLATE_A = '粤J5A123';
const PLATE_B = '粤J7B456';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // Media plays without a user gesture, as on a duty desk that has clicked through the login.
  '--autoplay-policy=no-user-gesture-required',
];

jest.setTimeout(90_000);

describe('dispatcher call view (headless Chromium)', () => {
  let t: TestServer;
  let browser: Browser;
  /** The server's clock runs this far ahead of the real one (10:00 Beijing time today at the start). */
  let offsetMs = 0;
  const contexts: BrowserContext[] = [];
  /** Every console error, and every request that failed or left the machine, per page. */
  const consoleErrors: { text: string; url: string }[] = [];
  const failedRequests: string[] = [];
  const offHostRequests: string[] = [];
  const headerlessApiCalls: string[] = [];
  /** Every script the pages loaded: the Agora SDK must not be among them while the fake call is in use. */
  const scripts: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(DIST_DIR, 'index.html'))) {
      throw new Error(`${DIST_DIR}/index.html is missing: run \`npm run build:console\` before this test`);
    }
    mkdirSync(SCREENSHOTS, { recursive: true });
    t = await startTestServer({ env: { CONSOLE_DIST_DIR: DIST_DIR, QUEUE_STREAM_HEARTBEAT_MS: '1000' } });
    await seedBrigades();
    for (const d of DISPATCHERS) await createStaff({ ...d, password: PASSWORD }, t.config.PASSWORD_HASH_COST);
    // 10:00 Beijing time today, whenever the suite runs; the server's clock still moves.
    offsetMs = new Date(`${new Date().toISOString().slice(0, 10)}T10:00:00+08:00`).getTime() - Date.now();
    t.services.clock = () => new Date(Date.now() + offsetMs);
    t.fakes.tencentMap.addPlace({ ...PENGJIANG, radiusM: 100, street: '建设三路', streetNumber: '38号', district: '蓬江区', adcode: '440703' });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function openPage(): Promise<Page> {
    const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1600, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('console', (msg: ConsoleMessage) => {
      if (msg.type() === 'error') consoleErrors.push({ text: msg.text(), url: msg.location().url });
    });
    page.on('pageerror', (err) => consoleErrors.push({ text: `uncaught: ${err.message}`, url: '' }));
    page.on('requestfailed', (req) => failedRequests.push(`${req.method()} ${req.url()} ${req.failure()?.errorText}`));
    page.on('request', (req) => {
      const { protocol, hostname, pathname } = new URL(req.url());
      if (req.resourceType() === 'script') scripts.push(pathname);
      if (protocol !== 'data:' && protocol !== 'blob:' && hostname !== '127.0.0.1') offHostRequests.push(req.url());
      // EventSource and <img> cannot send headers; both are GETs, which the CSRF guard does not need to see.
      const headerless = req.resourceType() === 'eventsource' || (req.resourceType() === 'image' && req.method() === 'GET');
      if (pathname.startsWith('/api/') && !headerless && req.headers()['x-console-request'] !== '1') headerlessApiCalls.push(`${req.method()} ${req.url()}`);
    });
    return page;
  }

  async function logIn(page: Page, username: string): Promise<void> {
    await page.goto(`${t.url}/console/`);
    await page.getByPlaceholder('请输入用户名').fill(username);
    await page.getByPlaceholder('请输入密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('实时更新').waitFor({ state: 'visible' });
    // The page's first GET /staff/me (no cookie yet) is answered 401 on purpose: not an error here.
    for (let i = consoleErrors.length - 1; i >= 0; i--) {
      if (consoleErrors[i]!.url.endsWith('/api/v1/staff/me') && consoleErrors[i]!.text.includes('status of 401')) consoleErrors.splice(i, 1);
    }
  }

  /** Chromium logs every 4xx as a console error: the ones a test provokes on purpose are allowed by status. */
  function expectNoConsoleErrors(allowedStatuses: number[] = []): void {
    const seen = consoleErrors.splice(0);
    const unexpected = seen.filter(({ text }) => !allowedStatuses.some((s) => text.includes(`status of ${s}`)));
    expect(unexpected).toEqual([]);
  }

  /** Reporter A and joiner B: a queued two-vehicle case in 蓬江. */
  async function queuedCase(plateA = PLATE_A, plateB = PLATE_B): Promise<{ caseId: string; a: TestDriver; b: TestDriver }> {
    const a = await verifiedDriver(t);
    const reported = await report(a, { plate: plateA });
    expect(reported.status).toBe(201);
    const b = await verifiedDriver(t);
    expect((await b.post('/api/v1/cases/join', { code: reported.body.joinCode, plate: plateB, factsConfirmed: true })).status).toBe(200);
    return { caseId: reported.body.caseId as string, a, b };
  }

  /** What the registry knows about a driver and their car: all valid, so the checks pass. */
  function registerInRegistry(driver: TestDriver, plate: string, name: string): void {
    t.fakes.registry.addLicence(driver.idNumber, { licenceNo: driver.idNumber, name, classes: ['C1'], status: 'valid', validFrom: '2016-01-01', validUntil: '2099-01-01', reservedPhone: driver.phone });
    t.fakes.registry.addVehicle({ plate, plateType: '02', vehicleType: 'K33', ownerName: name, status: 'normal', inspectionValidUntil: '2099-01-01', reservedPhone: driver.phone });
    t.fakes.registry.addPolicy({ policyNo: `PDZA${plate.slice(-5)}`, insurer: '中国人保财险', plate, validFrom: '2000-01-01', validUntil: '2099-12-31' });
  }

  /** A real JPEG, drawn by the browser itself (the server may check the file's magic bytes). */
  async function jpegFrom(page: Page, text: string): Promise<Buffer> {
    // A string, not a function: this file is checked without the DOM library.
    const dataUrl = await page.evaluate<string>(`(() => {
      const canvas = document.createElement('canvas');
      canvas.width = 640;
      canvas.height = 480;
      const g = canvas.getContext('2d');
      g.fillStyle = '#1d4e89';
      g.fillRect(0, 0, 640, 480);
      g.fillStyle = '#fff';
      g.fillRect(150, 190, 340, 100);
      g.fillStyle = '#1d4e89';
      g.font = 'bold 56px sans-serif';
      g.fillText(${JSON.stringify(text)}, 170, 262);
      return canvas.toDataURL('image/jpeg', 0.9);
    })()`);
    return Buffer.from(dataUrl.split(',')[1]!, 'base64');
  }

  /** The driver's phone uploading a shot: consent, an upload session, its chunks, complete. */
  async function uploadAsDriver(driver: TestDriver, caseId: string, shotRequestId: string, file: Buffer): Promise<{ status: number; body: any }> {
    expect((await driver.post(`/api/v1/cases/${caseId}/recording-consent`)).status).toBe(200);
    const created = await driver.post(`/api/v1/cases/${caseId}/uploads`, { uploadKey: randomUUID(), shotRequestId, kind: 'plate', mimeType: 'image/jpeg', size: file.length });
    expect([200, 201]).toContain(created.status);
    const { uploadId, chunkSize, totalChunks } = created.body as { uploadId: string; chunkSize: number; totalChunks: number };
    for (let index = 0; index < totalChunks; index++) {
      const chunk = file.subarray(index * chunkSize, Math.min(file.length, (index + 1) * chunkSize));
      const put = await fetch(`${t.url}/api/v1/uploads/${uploadId}/chunks/${index}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${driver.token}`, 'content-type': 'application/octet-stream' },
        body: chunk,
      });
      expect(put.status).toBe(200);
    }
    const done = await driver.post(`/api/v1/uploads/${uploadId}/complete`);
    return { status: done.status, body: done.body };
  }

  /** Polls `read` until `done` says yes (or the time is up), and returns the last value read. */
  async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 5000): Promise<T> {
    const deadline = Date.now() + ms;
    let value = await read();
    while (!done(value) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      value = await read();
    }
    return value;
  }

  const clockText = (page: Page) => page.getByRole('timer').locator('.call-clock-value').innerText();
  const tab = (page: Page, name: string) => page.locator('.t-tabs__nav-item').filter({ hasText: name });

  describe('one call from answer to release', () => {
    let page: Page;
    let caseId: string;
    let a: TestDriver;
    let b: TestDriver;

    beforeAll(async () => {
      ({ caseId, a, b } = await queuedCase());
      registerInRegistry(a, PLATE_A, '张三');
      registerInRegistry(b, PLATE_B, '李四');
      page = await openPage();
      await logIn(page, DISPATCHERS[0]!.username);
    });

    it('answers from the queue: the call view opens with the case, the running clock and the parties’ video', async () => {
      const row = page.getByRole('row').filter({ hasText: PLATE_A });
      await row.waitFor({ state: 'visible' });
      await row.getByRole('button', { name: '接听' }).click();

      await page.getByRole('timer').waitFor({ state: 'visible' });
      expect(new URL(page.url()).hash).toBe(`#/case/${caseId}`);
      expect(await page.locator('.call-bar').innerText()).toEqual(expect.stringContaining('蓬江区建设三路'));
      expect(await page.locator('.call-bar').innerText()).toEqual(expect.stringContaining('通话中'));

      // The clock counts up from answeredAt on the server's clock (10:00 today, not this machine's).
      const first = await clockText(page);
      expect(first).toMatch(/^00:0\d$/);
      // (No waitForFunction: the console's CSP forbids the eval it uses.)
      expect(await eventually(() => clockText(page), (now) => now !== first, 3000)).not.toBe(first);

      // The fake RTC adapter (the server still has the development Agora app id): a moving picture per party.
      await page.getByText('已连接').waitFor({ state: 'visible' });
      expect(await page.getByText('模拟通话').isVisible()).toBe(true);
      for (const label of ['A 车', 'B 车']) {
        const tile = page.locator('figure.tile').filter({ hasText: label });
        expect(await eventually(() => tile.locator('video').evaluate((v) => (v as unknown as { videoWidth: number }).videoWidth), (w) => w > 0)).toBe(640);
      }
      await page.screenshot({ path: join(SCREENSHOTS, 'call-answered.png') });

      // A reload (or a crashed browser) comes back to the same call.
      await page.reload();
      await page.getByRole('timer').waitFor({ state: 'visible' });
      expect(await page.locator('.call-bar').innerText()).toEqual(expect.stringContaining('蓬江区建设三路'));
      expectNoConsoleErrors();
    });

    it('asks party A for a shot of the plate, and the upload from A’s phone appears live', async () => {
      await tab(page, '取证').click();
      const cell = page.locator(`#shot-plate-A`);
      await cell.getByRole('button', { name: '请求拍摄' }).click();
      await cell.getByText('等待上传').waitFor({ state: 'visible' });
      expect(await page.locator('#release-blockers').innerText()).toEqual(expect.stringContaining('未上传'));

      const shot = (await Case.findById(caseId).lean())!.shotRequests!.find((s) => s.kind === 'plate' && s.party === 'A')!;
      const file = await jpegFrom(page, PLATE_A);
      const uploadedAt = Date.now();
      const done = await uploadAsDriver(a, caseId, shot.id, file);
      expect(done.status).toBe(200);

      const item = page.locator('.evidence-item').filter({ hasText: '#1' });
      await item.waitFor({ state: 'visible', timeout: 2500 });
      expect(Date.now() - uploadedAt).toBeLessThan(2500);
      expect(await item.innerText()).toEqual(expect.stringContaining('号牌'));
      expect(await item.innerText()).toEqual(expect.stringContaining('A 车'));
      expect(await item.innerText()).toEqual(expect.stringContaining(`SHA-256 ${(done.body.evidence?.sha256 ?? '').slice(0, 12)}`));
      expect(await eventually(() => item.locator('img').evaluate((el) => {
        const img = el as unknown as { complete: boolean; naturalWidth: number };
        return img.complete ? img.naturalWidth : 0;
      }), (w) => w > 0)).toBe(640);
      await cell.getByText('已收到 #1').waitFor({ state: 'visible' });
      expectNoConsoleErrors();
    });

    it('grabs a still frame from party B’s video as evidence, and the chain verifies', async () => {
      const tile = page.locator('figure.tile').filter({ hasText: 'B 车' });
      await tile.getByRole('button', { name: '截图取证' }).click();
      const item = page.locator('.evidence-item').filter({ hasText: '#2' });
      await item.waitFor({ state: 'visible' });
      expect(await item.innerText()).toEqual(expect.stringContaining('视频截图'));
      expect(await item.innerText()).toEqual(expect.stringContaining('B 车'));
      expect(await eventually(() => item.locator('img').evaluate((el) => {
        const img = el as unknown as { complete: boolean; naturalWidth: number };
        return img.complete ? img.naturalWidth : 0;
      }), (w) => w > 0)).toBe(640);

      await page.getByRole('button', { name: '校验证据链' }).click();
      await page.locator('#verify-result').getByText('证据链完整：2 项').waitFor({ state: 'visible' });
      await item.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SCREENSHOTS, 'call-evidence.png') });
      expectNoConsoleErrors();
    });

    it('collects the parties’ information (A through the form, B by the API) and runs the checks', async () => {
      await tab(page, '当事人信息').click();
      await page.getByPlaceholder('如：张三').fill('张三');
      await page.getByPlaceholder('11 位手机号').fill(a.phone);
      await page.getByPlaceholder('通常为身份证号').fill(a.idNumber);
      await page.locator('.party-form .t-select').click();
      await page.locator('.t-select-option').filter({ hasText: '02 小型汽车' }).click();
      await page.getByPlaceholder('如：小型轿车').fill('小型轿车');
      await page.getByPlaceholder('如：中国人保').fill('中国人保财险');
      await page.getByPlaceholder('保单上的号码').fill(`PDZA${PLATE_A.slice(-5)}`);
      await page.getByRole('button', { name: '保存A 车信息' }).click();
      await page.getByText('A 车信息已保存').waitFor({ state: 'visible' });

      // B's details through the API as the same dispatcher: the page follows by itself.
      const put = await page.request.put(`${t.url}/api/v1/desk/cases/${caseId}/parties/B`, {
        headers: { 'x-console-request': '1' },
        data: { driverName: '李四', licenceNo: b.idNumber, plateType: '02', vehicleType: '小型轿车', insurer: '中国人保财险', policyNo: `PDZA${PLATE_B.slice(-5)}`, phone: b.phone },
      });
      expect(put.status()).toBe(200);
      // Party B confirms on the phone: the desk shows it.
      expect((await b.put(`/api/v1/cases/${caseId}/my-info`, { confirm: true })).status).toBe(200);
      await page.locator('.t-radio-button').filter({ hasText: 'B 车' }).click();
      await page.getByText('当事人已确认').waitFor({ state: 'visible' });

      await tab(page, '核查').click();
      for (const label of ['A', 'B']) {
        await page.getByRole('button', { name: `核查${label} 车` }).click();
        const section = page.getByRole('region', { name: `${label} 车核查结果` });
        expect(await eventually(() => section.getByText('通过', { exact: true }).count(), (n) => n === 3)).toBe(3);
        expect(await section.innerText()).toEqual(expect.stringContaining('公安交管车驾管系统'));
      }
      const checksText = await page.locator('.checks').innerText();
      expect(checksText).toEqual(expect.stringContaining('驾驶证有效至 2099-01-01'));
      expect(checksText).toEqual(expect.stringContaining('交强险有效'));
      await page.getByText('已满足放行条件').waitFor({ state: 'visible' });
      await page.screenshot({ path: join(SCREENSHOTS, 'call-checks.png') });
      expectNoConsoleErrors();
    });

    it('releases: the clock stops on the stored handling time', async () => {
      await page.getByRole('button', { name: '放行撤离' }).click();
      await page.locator('.t-popconfirm').getByRole('button', { name: '确认放行' }).click();
      await page.getByText(/^已放行/).first().waitFor({ state: 'visible' });

      const stored = await Case.findById(caseId).lean();
      expect(stored).toMatchObject({ state: 'released', handlingSeconds: expect.any(Number) });
      const seconds = stored!.handlingSeconds!;
      const shown = `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
      expect(await clockText(page)).toBe(shown);
      expect(await page.getByRole('timer').innerText()).toEqual(expect.stringContaining('已停止'));
      // Stopped means stopped.
      await page.waitForTimeout(1500);
      expect(await clockText(page)).toBe(shown);
      expect(await page.getByRole('button', { name: '放行撤离' }).count()).toBe(0);
      await page.screenshot({ path: join(SCREENSHOTS, 'call-released.png') });

      await page.getByRole('button', { name: '返回队列' }).click();
      await page.getByText('当前没有排队的案件').waitFor({ state: 'visible' });
      expect(new URL(page.url()).hash).toBe('');
      expectNoConsoleErrors();
    });
  });

  describe('two dispatchers press 接听 at once', () => {
    it('exactly one gets the call; the other is told and the case leaves their queue', async () => {
      const { caseId, a } = await queuedCase();
      const pages = [await openPage(), await openPage()];
      await Promise.all(pages.map((p, i) => logIn(p, DISPATCHERS[i]!.username)));
      const buttons: Locator[] = pages.map((p) => p.getByRole('row').filter({ hasText: PLATE_A }).getByRole('button', { name: '接听' }));
      await Promise.all(buttons.map((b) => b.waitFor({ state: 'visible' })));

      // Both presses in the same instant: the element handles are resolved first, then clicked together
      // (a locator's click waits for actionability, long enough for the first answer to land).
      const handles = await Promise.all(buttons.map((b) => b.elementHandle()));
      await Promise.all(handles.map((h) => h!.evaluate((el) => (el as unknown as { click(): void }).click())));

      const outcome = await Promise.all(
        pages.map((p) =>
          Promise.race([
            p.getByRole('timer').waitFor({ state: 'visible', timeout: 8000 }).then(() => 'won' as const),
            p.getByText('已被其他接警员接听').waitFor({ state: 'visible', timeout: 8000 }).then(() => 'lost' as const),
          ]),
        ),
      );
      expect([...outcome].sort()).toEqual(['lost', 'won']);
      const winner = pages[outcome.indexOf('won')]!;
      const loser = pages[outcome.indexOf('lost')]!;
      expect(new URL(winner.url()).hash).toBe(`#/case/${caseId}`);
      await loser.getByText('当前没有排队的案件').waitFor({ state: 'visible', timeout: 3000 });
      expect(new URL(loser.url()).hash).toBe('');
      await loser.screenshot({ path: join(SCREENSHOTS, 'call-race-lost.png') });

      const stored = await Case.findById(caseId).lean();
      expect(stored).toMatchObject({ state: 'in_call', answeredBy: { name: DISPATCHERS[outcome.indexOf('won')]!.displayName } });

      // The winner chats with the parties: both ways, the party's reply arrives live.
      await tab(winner, '消息').click();
      await winner.getByPlaceholder('输入消息，回车发送').fill('请打开双闪，人员撤到护栏外');
      await winner.getByPlaceholder('输入消息，回车发送').press('Enter');
      await winner.locator('.chat-msg--mine').filter({ hasText: '请打开双闪' }).waitFor({ state: 'visible' });
      expect((await a.post(`/api/v1/cases/${caseId}/messages`, { text: '收到，已经撤到路边' })).status).toBe(201);
      await winner.locator('.chat-msg').filter({ hasText: '收到，已经撤到路边' }).waitFor({ state: 'visible', timeout: 2500 });
      expect(await winner.locator('.chat-msg').filter({ hasText: '收到，已经撤到路边' }).innerText()).toEqual(expect.stringContaining('A 车'));
      await winner.screenshot({ path: join(SCREENSHOTS, 'call-chat.png') });

      // The winner hands it back: it is at the head of the queue again, for anyone.
      await winner.getByRole('button', { name: '交回队列' }).click();
      await winner.locator('.t-popconfirm').getByRole('button', { name: '交回队列' }).click();
      await winner.getByRole('row').filter({ hasText: PLATE_A }).waitFor({ state: 'visible' });
      await loser.getByRole('row').filter({ hasText: PLATE_A }).waitFor({ state: 'visible', timeout: 3000 });
      expect(await loser.getByRole('row').filter({ hasText: PLATE_A }).innerText()).toEqual(expect.stringContaining('通话中断，重新排队'));
      // The 409 the loser's answer got is the one error Chromium logs.
      expectNoConsoleErrors([409]);
    });
  });

  describe('a call that goes long and is redirected', () => {
    let page: Page;
    let caseId: string;
    let a: TestDriver;

    beforeAll(async () => {
      // Other plates: the case handed back above is still queued with PLATE_A.
      ({ caseId, a } = await queuedCase('粤J3C789', '粤J4D012'));
      page = await openPage();
      await logIn(page, DISPATCHERS[1]!.username);
      await page.getByRole('row').filter({ hasText: '粤J3C789' }).getByRole('button', { name: '接听' }).click();
      await page.getByRole('timer').waitFor({ state: 'visible' });
    });

    it('records the facts: time and place as reported, each party’s direction of travel and point of impact', async () => {
      await tab(page, '事故事实').click();
      await page.getByRole('button', { name: '填入报案时的时间和地点' }).click();
      await page.getByPlaceholder('如：由北向南直行').first().fill('由北向南直行');
      await page.getByPlaceholder('如：右前角').first().fill('右前角');
      await page.getByPlaceholder('如：由北向南直行').last().fill('由东向西左转');
      await page.getByPlaceholder('如：右前角').last().fill('左前角');
      await page.getByRole('button', { name: '保存事故事实' }).click();
      await page.getByText('事故事实已保存').waitFor({ state: 'visible' });
      const facts = (await Case.findById(caseId).lean())!.facts!;
      expect(facts).toMatchObject({ place: expect.stringContaining('建设三路'), directions: { A: '由北向南直行', B: '由东向西左转' }, impactPoints: { A: '右前角', B: '左前角' } });
      expect(facts.occurredAt).toBeInstanceOf(Date);

      // The scenario tags, under the facts: A fits 追尾, and the proposal follows in one line.
      expect(await page.locator('#call-proposal').innerText()).toContain('尚未为任何一方标注情形');
      await page.locator('#call-tags #tagger-A .t-select').click();
      await page.locator('.t-select-option:visible').filter({ hasText: /^追尾$/ }).click();
      await page.keyboard.press('Escape');
      await page.locator('#call-proposal').getByText('系统建议：A 车全部责任，B 车无责任').waitFor({ state: 'visible' });
      expect((await Case.findById(caseId).lean())!.scenarioTags).toEqual([{ party: 'A', scenarioCodes: ['rear_end'] }]);
      await page.locator('#call-proposal').click(); // closes the picker (Escape leaves it open)
      await page.locator('.t-select__dropdown').waitFor({ state: 'hidden' });
      await page.screenshot({ path: join(SCREENSHOTS, 'call-facts.png') });
      expectNoConsoleErrors();
    });

    it('turns the clock amber past 4 minutes and red past 5, and redirects with a reason and the other ways', async () => {
      consoleErrors.splice(0); // the facts step reports its own
      expect(await page.getByRole('timer').getAttribute('class')).toContain('call-clock--normal');

      // Four and a half minutes on (by the server's clock); any change pushes a view with the new server time.
      offsetMs += 270_000;
      await a.post(`/api/v1/cases/${caseId}/messages`, { text: '还要多久？' });
      await page.locator('.call-clock--warning').waitFor({ state: 'visible', timeout: 2500 });
      expect(await clockText(page)).toMatch(/^04:[3-5]\d$/);
      offsetMs += 60_000;
      await a.post(`/api/v1/cases/${caseId}/messages`, { text: '请快一点' });
      await page.locator('.call-clock--danger').waitFor({ state: 'visible', timeout: 2500 });
      expect(await clockText(page)).toMatch(/^05:[3-5]\d$/);
      await page.screenshot({ path: join(SCREENSHOTS, 'call-overtime.png') });

      await page.getByRole('button', { name: '转其他方式处理' }).click();
      const dialog = page.locator('.t-dialog');
      await dialog.getByRole('button', { name: '当事人对事实有争议' }).click();
      await dialog.locator('.t-checkbox').filter({ hasText: '拨打 122 报警' }).click();
      await dialog.locator('.t-checkbox.t-is-checked').filter({ hasText: '拨打 122 报警' }).waitFor({ state: 'visible' });
      await page.screenshot({ path: join(SCREENSHOTS, 'call-redirect-dialog.png') });
      await dialog.getByRole('button', { name: '确认转出' }).click();
      await page.getByText('已转其他方式处理：当事人对事实有争议（民警到场处理、拨打 122 报警）').waitFor({ state: 'visible' });
      expect(await Case.findById(caseId).lean()).toMatchObject({ state: 'redirected', redirect: { reason: '当事人对事实有争议', alternatives: ['officer_on_scene', 'call_122'] } });
      // The clock stopped with the call.
      expect(await page.getByRole('timer').innerText()).toEqual(expect.stringContaining('已停止'));
      const stopped = await clockText(page);
      await page.waitForTimeout(1200);
      expect(await clockText(page)).toBe(stopped);
      await page.screenshot({ path: join(SCREENSHOTS, 'call-redirected.png') });
      expectNoConsoleErrors();
    });
  });

  it('loaded everything from the app itself: no failed requests, nothing off the loopback', async () => {
    for (const context of contexts.splice(0)) await context.close();
    // Live streams closed by the page itself (leaving the queue or the call) are reported as aborted.
    expect(failedRequests.filter((r) => !/\/stream net::ERR_ABORTED$/.test(r))).toEqual([]);
    expect(offHostRequests).toEqual([]);
    expect(headerlessApiCalls).toEqual([]);
  });

  it('bundles the Agora Web SDK as its own chunk under /console/assets, and never loads it for the fake call', async () => {
    const sdk = readdirSync(join(DIST_DIR, 'assets')).find((f) => /^AgoraRTC_N-production-[\w-]+\.js$/.test(f));
    expect(sdk).toBeDefined();
    const served = await fetch(`${t.url}/console/assets/${sdk}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toMatch(/javascript/);
    expect((await served.text()).length).toBeGreaterThan(500_000);
    // The development app id selected the fake: the pages ran calls without ever fetching the SDK.
    expect(scripts.some((s) => s.includes('/console/assets/CallView-'))).toBe(true);
    expect(scripts.filter((s) => /AgoraRTC|\/agora-/.test(s))).toEqual([]);
  });
});
