/**
 * Development defaults that must never reach production: secrets whose default starts with `dev-only-`
 * make the process refuse to start there (production.ts), and so do these public keys.
 */
export const DEV_SECRET_PREFIX = 'dev-only-';
export const DEV_RECORDING_STORAGE = '{"vendor":0,"region":0,"bucket":"dev-only","accessKey":"dev-only","secretKey":"dev-only"}';
// Development keys: public, so refused in production like every other dev secret.
export const DEV_ID_ENCRYPTION_KEYS = `dev1:${Buffer.alloc(32, 'dev-only-id-key').toString('base64')}`;
export const DEV_ID_LOOKUP_HMAC_KEY = Buffer.alloc(32, 'dev-only-id-hmac').toString('base64');
// The certificates' Ed25519 signing key for development (PKCS8 DER, base64): public, so refused in production.
export const DEV_CERT_SIGNING_KEY = 'MC4CAQAwBQYDK2VwBCIEIHqYpPhiWctczG9TfoeCtuZRBnt8RVs/6jiaMCCRbXdv';
export const DEV_AGORA_CERTIFICATE = '00000000000000000000000000000000';
