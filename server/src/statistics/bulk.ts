import { isDuplicateKey } from '../platform/database';

/**
 * Inserts in batches of `batch`, unordered; documents whose _id is already there are skipped (another
 * writer got there first with the same or newer content). Plain inserts, because on the embedded engine
 * an upsert is a round trip each (bulkWrite does not batch there): ~40× slower for a year of rows.
 */
export async function insertNew<T>(docs: T[], insert: (chunk: T[]) => Promise<unknown>, batch = 1000): Promise<void> {
  for (let i = 0; i < docs.length; i += batch) {
    await insert(docs.slice(i, i + batch)).catch((err: unknown) => {
      const codes = ((err as { writeErrors?: { code?: number; err?: { code?: number } }[] }).writeErrors ?? []).map((e) => e.code ?? e.err?.code);
      if (!isDuplicateKey(err) && !(codes.length > 0 && codes.every((code) => code === 11000))) throw err;
    });
  }
}

export const UNORDERED = { ordered: false, lean: true } as const;
