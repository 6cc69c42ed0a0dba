/**
 * A second-generation ID number: 6-digit region, 8-digit birth date, 3-digit sequence, check character.
 * Matched loosely on purpose (any 17 digits + digit/X): masking a lookalike costs nothing, leaking one costs a lot.
 */
const ID_NUMBER = /(?<![0-9])([0-9]{4})[0-9]{10}([0-9]{3}[0-9Xx])(?![0-9])/g;

/** `440703199001011234` → `4407**********1234`. */
export function maskIdNumber(text: string): string {
  return text.replace(ID_NUMBER, (_m, head: string, tail: string) => `${head}**********${tail}`);
}

export function maskIdNumbersDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskIdNumber(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((v) => maskIdNumbersDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskIdNumbersDeep(v, depth + 1);
  return out;
}

/*
 * ID and bank-card numbers in what people type (chat, facts, reasons), shown to the desk and the other
 * party. Full-width digits count too: some input methods type them.
 */
const DIGIT = '[0-9\\uFF10-\\uFF19]';
const ALNUM = '[0-9A-Za-z\\uFF10-\\uFF19\\uFF21-\\uFF3A\\uFF41-\\uFF5A]';
/**
 * A run of digit groups joined by one space or dash, as people type a card (`6222 0212 3456 7890 123`),
 * optionally ending in an ID number's X. Groups are at least 3 digits, so dates and times
 * (`2026-11-30 14:30`) never join into one. A run inside a letters-and-digits token (a policy number
 * `PDAA2023…`, a VIN) is a reference code, not a card, and is left alone.
 */
const NUMBER_RUN = new RegExp(`(?<!${ALNUM})${DIGIT}{3,}(?:[ \\u00A0\\u3000\\-\\uFF0D]${DIGIT}{3,})*[XxＸｘ]?(?!${ALNUM})`, 'g');
const GROUP = new RegExp(`${DIGIT}+[XxＸｘ]?`, 'g');
const SEPARATOR = /^[ \u00A0\u3000\-\uFF0D]$/;

/** Full-width digits as ASCII, to test a run's shape. */
const ascii = (s: string) => s.replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
/** A mobile number, with or without 86 / 0086: the parties exchange those on purpose. */
const isMobile = (digits: string) => /^(?:0{0,2}86)?1[3-9][0-9]{9}$/.test(digits);

/**
 * Masks ID numbers (18 with X, or the old 15) and bank-card-like numbers (13–19 digits, grouped or
 * not): the first 4 and last 4 stay, the rest become `*`, the grouping as typed. Mobile numbers, plates,
 * dates, amounts and policy numbers stay. Lengths are unchanged and masked text stays masked.
 */
export function maskSensitiveNumbers(text: string): string {
  return text.replace(NUMBER_RUN, (run) => {
    const groups = run.match(GROUP) ?? [];
    const digits = ascii(groups.join(''));
    if (isMobile(digits)) return run;
    if (digits.length <= 19) return digits.length >= 13 ? maskRun(run) : run;
    // Longer than any card: one block is a reference number (policy, order) and stays; a grouped run
    // is split at the mobile numbers in it ("card phone") and each stretch judged on its own.
    if (groups.length === 1) return run;
    return splitAtMobiles(run).map((part) => (part.mobile ? part.text : maskLongStretch(part.text))).join('');
  });
}

function maskLongStretch(stretch: string): string {
  const digits = (stretch.match(GROUP) ?? []).join('');
  // A grouped stretch longer than a card may still hide one: masked all the same (leaking costs more).
  return digits.length >= 13 ? maskRun(stretch) : stretch;
}

/** The run in pieces: each mobile-number group alone (with its separators), the stretches between. */
function splitAtMobiles(run: string): { text: string; mobile: boolean }[] {
  const parts: { text: string; mobile: boolean }[] = [];
  let current = '';
  for (const piece of run.split(/([ \u00A0\u3000\-\uFF0D])/)) {
    if (SEPARATOR.test(piece) || !isMobile(ascii(piece))) {
      current += piece;
      continue;
    }
    if (current) parts.push({ text: current, mobile: false });
    parts.push({ text: piece, mobile: true });
    current = '';
  }
  if (current) parts.push({ text: current, mobile: false });
  return parts;
}

/** Keeps the first 4 and last 4 digits (or X) of a run; every other digit becomes `*`. */
function maskRun(run: string): string {
  const total = (run.match(/[0-9\uFF10-\uFF19XxＸｘ]/g) ?? []).length;
  let seen = 0;
  return run.replace(/[0-9\uFF10-\uFF19XxＸｘ]/g, (ch) => {
    seen += 1;
    return seen <= 4 || seen > total - 4 ? ch : '*';
  });
}
