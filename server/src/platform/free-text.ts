import { z } from 'zod';
import { maskSensitiveNumbers } from './mask';

interface FreeTextOptions {
  /** At least this many characters after trimming (default 0). */
  min?: number;
  minMessage?: string;
  maxMessage?: string;
}

/**
 * Anything a person types that is stored or shown to others (chat, facts, notes, reasons, names):
 * trimmed, limited, and with ID and bank-card numbers masked at the edge, so no later storage or view
 * can show them whole. The limit is checked on what was typed; masking keeps the length.
 */
export function freeText(max: number, options: FreeTextOptions = {}) {
  const { min = 0, minMessage, maxMessage = `最多 ${max} 个字` } = options;
  const base = z.string().trim();
  return (min > 0 ? base.min(min, minMessage) : base)
    .max(max, maxMessage)
    // The engine refuses a NUL in a stored string (a name with one was a 500, found by `npm run fuzz`).
    .refine((text) => !text.includes('\u0000'), '不能含有空字符（U+0000），请删除后重试')
    .transform(maskSensitiveNumbers);
}
