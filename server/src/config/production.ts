import {
  DEV_AGORA_CERTIFICATE,
  DEV_CERT_SIGNING_KEY,
  DEV_ID_ENCRYPTION_KEYS,
  DEV_ID_LOOKUP_HMAC_KEY,
  DEV_RECORDING_STORAGE,
  DEV_SECRET_PREFIX,
} from './dev-defaults';
import type { Settings } from './schema';

/** What keeps a production process from starting: development defaults left in place, missing origins, insecure cookies. */
export function productionProblems(config: Settings): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    // The object store's keys matter only when it is the backend in use.
    if (key.startsWith('S3_') && config.STORAGE_BACKEND !== 's3') continue;
    if (typeof value === 'string' && value.startsWith(DEV_SECRET_PREFIX)) {
      problems.push(`${key}: the development default must not be used in production; set a real secret`);
    }
  }
  if (config.RECORDING_STORAGE_CONFIG === DEV_RECORDING_STORAGE) {
    problems.push('RECORDING_STORAGE_CONFIG: set the real object storage the call recordings go to');
  }
  if (config.AGORA_APP_CERTIFICATE === DEV_AGORA_CERTIFICATE) {
    problems.push('AGORA_APP_CERTIFICATE: the development default must not be used in production');
  }
  if (config.ID_ENCRYPTION_KEYS.includes(DEV_ID_ENCRYPTION_KEYS.split(':')[1]!)) {
    problems.push('ID_ENCRYPTION_KEYS: the development key must not be used in production');
  }
  if (config.ID_LOOKUP_HMAC_KEY === DEV_ID_LOOKUP_HMAC_KEY) {
    problems.push('ID_LOOKUP_HMAC_KEY: the development key must not be used in production');
  }
  if (config.CERT_SIGNING_KEY === DEV_CERT_SIGNING_KEY) {
    problems.push('CERT_SIGNING_KEY: the development key must not be used in production; certificates signed with it prove nothing');
  }
  if (!config.PUBLIC_URL) {
    problems.push("PUBLIC_URL: set the server's public origin; the certificate's QR code opens <PUBLIC_URL>/verify/<number>");
  }
  if (config.COOKIE_SECURE === false) {
    problems.push('COOKIE_SECURE: staff session cookies must be Secure in production');
  }
  return problems;
}
