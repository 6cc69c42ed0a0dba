import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { developApiBaseUrl, miniprogramConfigTarget, writeMiniprogramConfig } from './miniprogram-config';

describe("the mini-program's develop server address follows npm start's configuration", () => {
  it('is the port the server listens on, reached at 127.0.0.1 for loopback and wildcard hosts', () => {
    expect(developApiBaseUrl({})).toBe('http://127.0.0.1:3000');
    expect(developApiBaseUrl({ PORT: '4123' })).toBe('http://127.0.0.1:4123');
    expect(developApiBaseUrl({ PORT: '4123', HOST: '0.0.0.0' })).toBe('http://127.0.0.1:4123');
    expect(developApiBaseUrl({ PORT: '4123', HOST: '192.168.1.20' })).toBe('http://192.168.1.20:4123');
    expect(developApiBaseUrl({ PORT: '4123', HOST: 'fd00::5' })).toBe('http://[fd00::5]:4123');
  });

  it('is the public origin when PUBLIC_URL is set, and refuses a PORT that is not one', () => {
    expect(developApiBaseUrl({ PORT: '4123', PUBLIC_URL: 'https://qh.example.test/some/path/' })).toBe('https://qh.example.test');
    expect(() => developApiBaseUrl({ PORT: 'abc' })).toThrow('PORT abc is not a port');
  });

  it('writes config.local.ts (or where QH_MINIPROGRAM_CONFIG says, or nowhere with off), only when it changes', () => {
    expect(miniprogramConfigTarget('/repo', undefined)).toBe('/repo/miniprogram/config.local.ts');
    expect(miniprogramConfigTarget('/repo', 'off')).toBeNull();
    expect(miniprogramConfigTarget('/repo', 'tmp/x.ts')).toBe('/repo/tmp/x.ts');

    const dir = mkdtempSync(join(tmpdir(), 'mp-config-'));
    try {
      const file = join(dir, 'config.local.ts');
      expect(writeMiniprogramConfig(file, 'http://127.0.0.1:4123')).toEqual({ url: 'http://127.0.0.1:4123', changed: true });
      expect(readFileSync(file, 'utf8')).toContain('export const DEVELOP_API_BASE_URL = "http://127.0.0.1:4123";');
      const written = statSync(file).mtimeMs;
      expect(writeMiniprogramConfig(file, 'http://127.0.0.1:4123').changed).toBe(false);
      expect(statSync(file).mtimeMs).toBe(written);
      expect(writeMiniprogramConfig(file, 'http://127.0.0.1:5000').changed).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
