/** The API base URL follows the build the phone runs (develop / trial / release). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { apiBaseUrl } from '../config';

function runAs(envVersion: 'develop' | 'trial' | 'release', platform = 'ios'): void {
  wx.getAccountInfoSync = (() => ({ miniProgram: { appId: 'wx0', envVersion, version: '' }, plugin: {} })) as unknown as typeof wx.getAccountInfoSync;
  wx.getDeviceInfo = (() => ({ platform })) as unknown as typeof wx.getDeviceInfo;
}

/**
 * config.ts as it loads beside a config.local.ts that `npm start` wrote (`exports` given), or that
 * throws on load (`null`: not written yet, as on a fresh checkout). Virtual when the real file is absent.
 */
function configWithLocal(exports: Record<string, unknown> | null): typeof import('../config') {
  const virtual = !existsSync(join(__dirname, '..', 'config.local.ts'));
  jest.resetModules();
  jest.doMock(
    '../config.local',
    () => {
      if (!exports) throw new Error("Cannot find module './config.local'");
      return exports;
    },
    { virtual },
  );
  return require('../config') as typeof import('../config');
}

test('develop talks to the local server', () => {
  runAs('develop');
  expect(apiBaseUrl()).toBe('http://127.0.0.1:3000');
});

test.each(['trial', 'release'] as const)('%s talks HTTPS to the deployer\'s domain, never the local server', (env) => {
  runAs(env);
  expect(apiBaseUrl()).toMatch(/^https:\/\//);
  expect(apiBaseUrl()).not.toContain('127.0.0.1');
});

describe('in the developer tools, the develop build calls where npm start runs (config.local.ts)', () => {
  test('the URL npm start wrote from PORT / HOST / PUBLIC_URL', () => {
    runAs('develop', 'devtools');
    expect(configWithLocal({ DEVELOP_API_BASE_URL: 'http://127.0.0.1:4123' }).apiBaseUrl()).toBe('http://127.0.0.1:4123');
  });

  test('the default port while npm start has not written it, or when it holds no usable URL', () => {
    runAs('develop', 'devtools');
    expect(configWithLocal(null).apiBaseUrl()).toBe('http://127.0.0.1:3000');
    expect(configWithLocal({ DEVELOP_API_BASE_URL: 'javascript:alert(1)' }).apiBaseUrl()).toBe('http://127.0.0.1:3000');
    expect(configWithLocal({ DEVELOP_API_BASE_URL: 'http://127.0.0.1:4123/api' }).apiBaseUrl()).toBe('http://127.0.0.1:3000');
  });

  test('a phone previewing the develop build, and the trial and release builds, ignore it', () => {
    runAs('develop', 'android');
    expect(configWithLocal({ DEVELOP_API_BASE_URL: 'http://127.0.0.1:4123' }).apiBaseUrl()).toBe('http://127.0.0.1:3000');
    runAs('release', 'devtools');
    expect(configWithLocal({ DEVELOP_API_BASE_URL: 'http://127.0.0.1:4123' }).apiBaseUrl()).toMatch(/^https:\/\/REPLACE-ME/);
  });
});
