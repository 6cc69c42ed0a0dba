import { createHash } from 'node:crypto';

/** WeChat face 2.0 `cert_hash`: SHA-256 hex of `cert_type=<b64>&cert_name=<b64>&cert_no=<b64>`. */
export function certHash(certName: string, certNo: string, certType = 'IDENTITY_CARD'): string {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  return createHash('sha256').update(`cert_type=${b64(certType)}&cert_name=${b64(certName)}&cert_no=${b64(certNo)}`).digest('hex');
}
