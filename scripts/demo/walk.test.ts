import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDemoEndpoints } from './demo-endpoints';
import { walk } from './walk';

/**
 * `npm run demo:walk` against a real `npm start` (its own port and data folder, as scripts/start.test.ts
 * starts it): the demo drivers are verified and known to the registry, the geocoder names the street, a
 * whole case goes from report to a delivered, verifiable certificate, and the mini-program's develop
 * config names the port npm start listens on.
 */
const REPO_ROOT = join(__dirname, '..', '..');
const UP_MS = 90_000;

let child: ChildProcess | null = null;
let exited: Promise<unknown> = Promise.resolve();
let output = '';
let dataDir = '';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGINT');
    const timer = setTimeout(() => child?.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 40_000);

describe('npm run demo:walk', () => {
  it('walks a whole case through the API of a running npm start, to a delivered certificate both drivers download', async () => {
    // Under the ignored data folder: the PostgreSQL cluster's owner must be able to reach it (a 0700 temp folder is not).
    mkdirSync(join(REPO_ROOT, '.data'), { recursive: true });
    dataDir = mkdtempSync(join(REPO_ROOT, '.data', 'walk-test-'));
    chmodSync(dataDir, 0o755);
    const port = await freePort();
    const miniprogramConfig = join(dataDir, 'config.local.ts');
    child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts', 'start.ts')], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), PORT: String(port), QH_DATA_DIR: dataDir, QH_MINIPROGRAM_CONFIG: miniprogramConfig },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    exited = new Promise((resolve) => child!.once('exit', resolve));

    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error) => (clearInterval(timer), clearTimeout(deadline), err ? reject(err) : resolve());
      const timer = setInterval(() => output.includes('is running') && done(), 100);
      const deadline = setTimeout(() => done(new Error(`npm start not up within ${UP_MS} ms:\n${output}`)), UP_MS);
      void exited.then(() => done(new Error(`npm start exited early:\n${output}`)));
    });

    expect(readFileSync(miniprogramConfig, 'utf8')).toContain(`export const DEVELOP_API_BASE_URL = "http://127.0.0.1:${port}";`);
    const endpoints = readDemoEndpoints(dataDir);
    expect(endpoints?.api).toBe(`http://127.0.0.1:${port}`);

    const lines: string[] = [];
    const started = Date.now();
    const result = await walk({ baseUrl: endpoints!.api, wechatUrl: endpoints!.wechat, log: (line) => lines.push(line) });
    process.stdout.write(`${lines.join('\n')}\n`);

    expect(result.address).toBe('蓬江区建设路');
    expect(result.certificateNumber).toMatch(/^JM-PJ-\d{4}-\d{6}$/);
    expect(result.matters).toHaveLength(2);
    for (const { matter, pdfBytes } of result.matters) {
      expect(matter).toMatchObject({ caseId: result.caseId, state: 'delivered', decision: { certificateNumber: result.certificateNumber, deliveredAt: expect.any(String) } });
      expect(matter.steps.map((s) => s.kind)).toEqual(['reported', 'answered', 'released', 'decided', 'delivered']);
      expect(pdfBytes).toBeGreaterThan(10_000);
    }
    expect(result.matters.map((m) => m.matter.decision!.parties.find((p) => p.mine)!.words).sort()).toEqual(['全部责任', '无责任']);
    expect(lines.some((l) => l.includes('核查 A 方') && l.includes('交强险有效'))).toBe(true);
    expect(lines.at(-1)).toMatch(/slowest:/);
    expect(Date.now() - started).toBeLessThan(60_000);
  }, UP_MS + 90_000);
});
