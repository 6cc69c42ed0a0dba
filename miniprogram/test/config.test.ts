/** The API base URL follows the build the phone runs (develop / trial / release). */
import { apiBaseUrl } from '../config';

function runAs(envVersion: 'develop' | 'trial' | 'release'): void {
  wx.getAccountInfoSync = (() => ({ miniProgram: { appId: 'wx0', envVersion, version: '' }, plugin: {} })) as unknown as typeof wx.getAccountInfoSync;
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
