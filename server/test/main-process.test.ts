import { fork } from 'node:child_process';
import { join } from 'node:path';

const MAIN = join(__dirname, '../src/main.ts');

/** The real entry point as its own process: config refusal, start-up, graceful SIGTERM. */
function runMain(env: Record<string, string>) {
  const child = fork(MAIN, [], {
    execArgv: ['--import', 'tsx'],
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe('main.ts', () => {
  it('refuses to start in production with development secrets, naming them (exit 78)', async () => {
    const run = runMain({ NODE_ENV: 'production', MONGODB_URI: process.env.TEST_MONGODB_URI! });
    expect(await run.exited).toBe(78);
    expect(run.output()).toMatch(/JWT_SECRET: the development default must not be used in production/);
  });

  it('serves, then drains and closes the database on SIGTERM (exit 0)', async () => {
    const run = runMain({ NODE_ENV: 'test', PORT: '0', MONGODB_URI: process.env.TEST_MONGODB_URI!, MONGODB_DB: 'main_process_test' });
    const port = await new Promise<number>((resolve, reject) => {
      run.child.on('message', (m: { type?: string; port?: number }) => m.type === 'listening' && resolve(m.port!));
      void run.exited.then((code) => reject(new Error(`exited early with ${code}: ${run.output()}`)));
    });
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('shutting down: draining requests');
    expect(run.output()).toContain('"msg":"stopped"');
  });
});
