import { ConfigError, loadConfig } from '../src/config';
import { PRODUCTION_ENV } from './production-env';

describe('config', () => {
  it('starts with working development defaults and nothing set', () => {
    const config = loadConfig({});
    expect(config.NODE_ENV).toBe('development');
    expect(config.PORT).toBe(3000);
    expect(config.DRIVER_ACCESS_TTL_SECONDS).toBe(900);
    expect(config.cookieSecure).toBe(false);
    expect(config.PASSWORD_HASH_COST).toBe(12);
  });

  it('coerces numbers and treats empty variables as unset', () => {
    const config = loadConfig({ PORT: '8080', LOGIN_MAX_FAILURES: '3', WECHAT_API_BASE: '' });
    expect(config.PORT).toBe(8080);
    expect(config.LOGIN_MAX_FAILURES).toBe(3);
    expect(config.WECHAT_API_BASE).toBe('https://api.weixin.qq.com');
  });

  it('names every invalid setting at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', MONGODB_URI: 'postgres://x', AGORA_APP_ID: 'short' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/MONGODB_URI/);
    expect(problems).toMatch(/AGORA_APP_ID/);
  });

  it('refuses to start in production with development secrets', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET.*development default/s);
  });

  const productionEnv = PRODUCTION_ENV;

  it('starts in production when every secret is real, with Secure cookies', () => {
    const config = loadConfig(productionEnv);
    expect(config.cookieSecure).toBe(true);
  });

  it('refuses the development ID keys in production, and an active key id that names no key anywhere', () => {
    expect(() => loadConfig({ ...productionEnv, ID_ENCRYPTION_KEYS: undefined as unknown as string, ID_ENCRYPTION_ACTIVE_KEY_ID: 'dev1' })).toThrow(/ID_ENCRYPTION_KEYS/);
    expect(() => loadConfig({ ID_ENCRYPTION_ACTIVE_KEY_ID: 'k9' })).toThrow(/active ID key "k9"/);
    expect(() => loadConfig({ ID_ENCRYPTION_KEYS: 'k1:c2hvcnQ=', ID_ENCRYPTION_ACTIVE_KEY_ID: 'k1' })).toThrow(/32 bytes/);
  });

  it('refuses insecure cookies and a short JWT secret in production', () => {
    expect(() => loadConfig({ ...productionEnv, COOKIE_SECURE: 'false' })).toThrow(/COOKIE_SECURE/);
    expect(() => loadConfig({ ...productionEnv, JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
  });
});
