import { z } from 'zod';

/** The value shapes settings are read as: every one arrives as a string from the environment. */
export const duration = z.coerce.number().int().positive();
export const url = z.string().url();
export const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');
