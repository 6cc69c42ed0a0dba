/**
 * The 6-character code the reporter reads out (or shows as a QR code) so the other parties can join
 * the case. Codes are drawn from an alphabet without look-alikes (no 0/O, 1/I/L), so a driver who
 * types one of those has misread the code: they are told so before a wrong try is spent (the
 * server limits wrong tries). Case, spaces and dashes do not matter.
 */

export const JOIN_CODE_LENGTH = 6;
/** The server's alphabet (server/src/cases/join-code.ts). */
export const JOIN_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function normalizeJoinCode(raw: string): string {
  return raw.replace(/[\s\-_]/g, '').toUpperCase();
}

/** null when the (normalised) code may be sent, else what to tell the driver. */
export function joinCodeError(raw: string): string | null {
  const code = normalizeJoinCode(raw);
  if (!code) return '请输入案件码';
  if (/[01OIL]/.test(code)) return '案件码里没有 0、1 和字母 O、I、L，请对照对方手机再核对一下';
  if ([...code].some((c) => !JOIN_CODE_ALPHABET.includes(c))) return '案件码只有字母和数字';
  if (code.length !== JOIN_CODE_LENGTH) return `案件码是 ${JOIN_CODE_LENGTH} 位，您输入了 ${code.length} 位`;
  return null;
}

/**
 * What a scanned QR code holds: the code itself, or a link ending `?code=XXXXXX` (or `&code=`).
 * null when it is something else (a payment code, a web page …).
 */
export function joinCodeFromScan(content: string): string | null {
  const text = content.trim();
  const fromLink = /[?&]code=([^&#]+)/.exec(text)?.[1];
  const candidate = normalizeJoinCode(fromLink ?? text);
  return joinCodeError(candidate) ? null : candidate;
}
