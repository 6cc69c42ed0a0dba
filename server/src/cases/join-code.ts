import { randomInt } from 'node:crypto';

/**
 * Six characters a driver reads aloud or types from another phone's screen: no 0/O, 1/I/L look-alikes.
 * 31^6 ≈ 890 million codes; with JOIN_MAX_FAILURES wrong tries per 10 minutes a guesser needs centuries
 * to hit one of the few codes open at any moment.
 */
export const JOIN_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const JOIN_CODE_LENGTH = 6;

export function newJoinCode(): string {
  let code = '';
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  return code;
}

/** What a driver typed or a QR code held (the code, or a link ending `code=XXXXXX`), as a code. */
export function normaliseJoinCode(input: string): string {
  const fromLink = /[?&]code=([^&#]+)/.exec(input)?.[1];
  return (fromLink ?? input).toUpperCase().replace(/[\s-]/g, '');
}

export const isWellFormedJoinCode = (code: string) => new RegExp(`^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`).test(code);
