import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as fontkit from 'fontkit';
import sharp from 'sharp';
import type { Config } from '../config';
import { REPO_ROOT } from '../platform/paths';

/** The placeholder seal, marked 样章; ops set CERT_SEAL_IMAGE to the unit's real one. */
export const SAMPLE_SEAL = join(REPO_ROOT, 'server/data/certificates/seal-sample.svg');

/** A parsed font face, shared by every certificate: parsing a CJK face's tables anew per PDF costs more than the rest of the page. */
export type CertificateFont = fontkit.Font;
export interface CertificateFonts {
  body: CertificateFont;
  bold: CertificateFont;
}

type AssetConfig = Pick<Config, 'CERT_FONT_PATH' | 'CERT_FONT_FACE' | 'CERT_BOLD_FONT_PATH' | 'CERT_BOLD_FONT_FACE' | 'CERT_SEAL_IMAGE'>;

// Read once per path: the seal is the same on every certificate.
const files = new Map<string, Promise<Buffer>>();
function cached(key: string, load: () => Promise<Buffer>): Promise<Buffer> {
  let file = files.get(key);
  if (!file) {
    file = load();
    files.set(key, file);
    file.catch(() => files.delete(key));
  }
  return file;
}

const readAsset = (path: string, what: string) =>
  readFile(path).catch((err: NodeJS.ErrnoException) => {
    throw new Error(`certificate ${what} ${path} cannot be read (${err.code ?? err.message}); check the CERT_* settings and run npm run setup`);
  });

const faces = new Map<string, Promise<CertificateFont>>();
/** A face of a .ttf/.otf, or the face a .ttc collection holds under that PostScript name. */
function face(path: string, postscriptName: string): Promise<CertificateFont> {
  const key = `${path}#${postscriptName}`;
  let font = faces.get(key);
  if (!font) {
    font = readAsset(path, 'font').then((data) => {
      const opened = fontkit.create(data, postscriptName || undefined);
      if (!opened || 'fonts' in opened) {
        throw new Error(`certificate font ${path} has no face named "${postscriptName}"; set CERT_FONT_FACE / CERT_BOLD_FONT_FACE to one of its PostScript names`);
      }
      return opened;
    });
    faces.set(key, font);
    font.catch(() => faces.delete(key));
  }
  return font;
}

export async function certificateFonts(config: AssetConfig): Promise<CertificateFonts> {
  const [body, bold] = await Promise.all([face(config.CERT_FONT_PATH, config.CERT_FONT_FACE), face(config.CERT_BOLD_FONT_PATH, config.CERT_BOLD_FONT_FACE)]);
  return { body, bold };
}

/** The seal as PNG or JPEG; an SVG (like the sample) is rendered to a PNG once, large enough to print sharp. */
export function sealImage(config: AssetConfig): Promise<Buffer> {
  const path = config.CERT_SEAL_IMAGE ?? SAMPLE_SEAL;
  return cached(`seal:${path}`, async () => {
    const data = await readAsset(path, 'seal image');
    return path.toLowerCase().endsWith('.svg') ? sharp(data, { density: 90 }).png({ compressionLevel: 9 }).toBuffer() : data;
  });
}
