/** An environment with a real-looking value for every secret: loadConfig accepts it with NODE_ENV=production. */
export const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  JWT_SECRET: 'k'.repeat(48),
  WECHAT_SECRET: 'real-wechat-secret',
  TENCENT_MAP_KEY: 'ABCDE-FGHIJ-KLMNO-PQRST-UVWXY-Z0123',
  REGISTRY_TOKEN: 'real-registry-token',
  SMS_TOKEN: 'real-sms-token',
  IDP_CLIENT_SECRET: 'real-idp-secret',
  AGORA_APP_CERTIFICATE: 'f'.repeat(32),
  AGORA_CUSTOMER_ID: 'real-agora-customer',
  AGORA_CUSTOMER_SECRET: 'real-agora-secret',
  RECORDING_STORAGE_CONFIG: '{"vendor":2,"region":3,"bucket":"jm-accident-recordings","accessKey":"AK","secretKey":"SK"}',
  ID_ENCRYPTION_KEYS: `k2026:${Buffer.alloc(32, 7).toString('base64')}`,
  ID_ENCRYPTION_ACTIVE_KEY_ID: 'k2026',
  ID_LOOKUP_HMAC_KEY: Buffer.alloc(32, 9).toString('base64'),
  CERT_SIGNING_KEY: 'MC4CAQAwBQYDK2VwBCIEIEpPMO7g337SroRCnq0hTwjooMFGASvqEghJlMn3iLEx',
  PUBLIC_URL: 'https://jmjj-kc.example.cn',
};
