import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Config } from '../config';
import type { CertificateContent } from './certificate-content';

/**
 * The certificate's content as one exact text (RFC 8785 JSON canonicalization: sorted keys, fixed number
 * and string forms), so the same content always yields the same bytes to sign and to hash, wherever it
 * is checked again.
 */
export function canonicalContent(content: CertificateContent): string {
  const text = canonicalize(content);
  if (text === undefined) throw new Error('certificate content cannot be canonicalized');
  return text;
}

export const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

export interface CertificateSigner {
  /** Short id of the public key (sha256 of its SPKI DER, 16 hex): names the key a certificate was signed with. */
  keyId: string;
  /** Ed25519 signature of the canonical text, base64. */
  sign(canonical: string): string;
  /** False for a wrong signature, another key's, or one that is not base64 of 64 bytes. */
  verify(canonical: string, signature: string): boolean;
}

/** A signer over an Ed25519 private key (PKCS8 PEM, or PKCS8 DER in base64; config checks it parses). */
export function createSigner(keyText: string): CertificateSigner {
  const privateKey = keyText.includes('-----BEGIN')
    ? createPrivateKey(keyText)
    : createPrivateKey({ key: Buffer.from(keyText, 'base64'), format: 'der', type: 'pkcs8' });
  const publicKey: KeyObject = createPublicKey(privateKey);
  const keyId = sha256Hex(publicKey.export({ type: 'spki', format: 'der' })).slice(0, 16);
  return {
    keyId,
    // Ed25519 hashes internally: node:crypto takes `null` as the digest.
    sign: (canonical) => sign(null, Buffer.from(canonical, 'utf8'), privateKey).toString('base64'),
    verify(canonical, signature) {
      if (!/^[A-Za-z0-9+/]{86}==$/.test(signature)) return false;
      return verify(null, Buffer.from(canonical, 'utf8'), publicKey, Buffer.from(signature, 'base64'));
    },
  };
}

const signers = new Map<string, CertificateSigner>();
/** The configured key's signer, built once per key. */
export function signerFor(config: Pick<Config, 'CERT_SIGNING_KEY'>): CertificateSigner {
  let signer = signers.get(config.CERT_SIGNING_KEY);
  if (!signer) signers.set(config.CERT_SIGNING_KEY, (signer = createSigner(config.CERT_SIGNING_KEY)));
  return signer;
}
