import { randomInt } from 'node:crypto';
import bcrypt from 'bcryptjs';

/**
 * bcrypt (pure JavaScript: no native module to build or to crash on a machine whose prebuilt binary
 * does not fit). The cost comes from PASSWORD_HASH_COST; 12 takes ~0.3 s here, slow for a guesser,
 * fine for a login a shift.
 */
export const hashPassword = (password: string, cost: number): Promise<string> => bcrypt.hash(password, cost);

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await bcrypt.compare(password, hash);
  } catch {
    return false;
  }
}

/**
 * Verified against when the username does not exist, so that a wrong username costs the same time as
 * a wrong password and response times do not reveal which accounts exist.
 */
const decoys = new Map<number, Promise<string>>();
export function decoyPasswordHash(cost: number): Promise<string> {
  let decoy = decoys.get(cost);
  if (!decoy) decoys.set(cost, (decoy = hashPassword('decoy-password-for-unknown-users', cost)));
  return decoy;
}

/** Without look-alikes (0/O, 1/l/I): a password read out over the phone or copied by hand. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';

/** 16 characters from 56 (~93 bits), drawn without modulo bias: an initial password ops hand over. */
export function generatePassword(length = 16): string {
  return Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}
