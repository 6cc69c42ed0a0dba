import { createPrivateKey } from 'node:crypto';
import { z } from 'zod';
import { DEV_CERT_SIGNING_KEY } from './dev-defaults';

/** The certificate, 道路交通事故认定书 (server/src/certificates): its signing key, fonts, seal, public checks. */
export const certificateSettings = {
  /** Ed25519 private key that signs certificates: PKCS8 PEM, or its DER in base64. */
  CERT_SIGNING_KEY: z
    .string()
    .refine((v) => isEd25519PrivateKey(v), 'must be an Ed25519 private key (PKCS8 PEM, or PKCS8 DER in base64)')
    .default(DEV_CERT_SIGNING_KEY),
  /** The CJK font the certificate is printed in: a .ttf/.otf, or a .ttc with the face's PostScript name. */
  CERT_FONT_PATH: z.string().min(1).default('/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc'),
  CERT_FONT_FACE: z.string().default('NotoSerifCJKsc-Regular'),
  /** The bold face of the title and headings. */
  CERT_BOLD_FONT_PATH: z.string().min(1).default('/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc'),
  CERT_BOLD_FONT_FACE: z.string().default('NotoSansCJKsc-Bold'),
  /** The unit's seal printed over its name (PNG, JPEG or SVG); the default is a placeholder marked 样章. */
  CERT_SEAL_IMAGE: z.string().min(1).optional(),
  /** Public verifications (page, API) one address may make per minute. */
  CERT_VERIFY_MAX_PER_MINUTE: z.coerce.number().int().min(1).default(30),
};

function isEd25519PrivateKey(text: string): boolean {
  try {
    const pem = text.includes('-----BEGIN');
    const key = pem ? createPrivateKey(text) : createPrivateKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'pkcs8' });
    return key.asymmetricKeyType === 'ed25519';
  } catch {
    return false;
  }
}
