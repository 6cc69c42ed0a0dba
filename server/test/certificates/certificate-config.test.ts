import { generateKeyPairSync } from 'node:crypto';
import { loadConfig } from '../../src/config';
import { createSigner, signerFor } from '../../src/certificates/signing';
import { PRODUCTION_ENV } from '../production-env';

describe('the certificate signing key and public address in the configuration', () => {
  const { CERT_SIGNING_KEY: _key, PUBLIC_URL: _url, ...withoutCertificateSettings } = PRODUCTION_ENV;

  it('refuses the development key and a missing PUBLIC_URL in production', () => {
    expect(() => loadConfig(withoutCertificateSettings)).toThrow(/CERT_SIGNING_KEY: the development key[\s\S]*PUBLIC_URL/);
    expect(() => loadConfig(PRODUCTION_ENV)).not.toThrow();
  });

  it('takes an Ed25519 key as PKCS8 PEM or as base64 DER, and refuses any other key', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const der = privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
    expect(signerFor(loadConfig({ CERT_SIGNING_KEY: pem })).keyId).toBe(createSigner(der).keyId);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => loadConfig({ CERT_SIGNING_KEY: rsa })).toThrow(/CERT_SIGNING_KEY: must be an Ed25519 private key/);
    expect(() => loadConfig({ CERT_SIGNING_KEY: 'bm90IGEga2V5' })).toThrow(/CERT_SIGNING_KEY/);
  });

  it('signs deterministically and verifies only its own signatures over the exact text', () => {
    const signer = createSigner(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'));
    const signature = signer.sign('{"a":1}');
    expect(signer.sign('{"a":1}')).toBe(signature);
    expect(signer.verify('{"a":1}', signature)).toBe(true);
    expect(signer.verify('{"a":2}', signature)).toBe(false);
    expect(signer.verify('{"a":1}', 'not base64')).toBe(false);
    expect(signerFor(loadConfig({})).verify('{"a":1}', signature)).toBe(false);
  });
});
