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
