import { createHash } from 'node:crypto';

/** `<caseId>:<seq, zero-padded>`: item n of a case has exactly one possible primary key. */
export const evidenceId = (caseId: string, seq: number) => `${caseId}:${String(seq).padStart(6, '0')}`;

/** The case and number an evidence id names, or null when it is not one. */
export function parseEvidenceId(id: string): { caseId: string; seq: number } | null {
  const match = /^([0-9a-f]{24}):([0-9]{6})$/.exec(id);
  if (!match) return null;
  const seq = Number(match[2]);
  return seq >= 1 ? { caseId: match[1]!, seq } : null;
}

export const sha256Hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

export interface ChainFields {
  prevChainHash: string;
  sha256: string;
  seq: number;
  fixedAt: Date;
  kind: string;
  party: string | null;
}

/**
 * The string an item's chainHash is the SHA-256 of (UTF-8, lowercase hex out):
 *
 *   evidence-chain-v1|<prevChainHash or empty>|<sha256 of the file>|<seq>|<fixedAt, ISO 8601 UTC with ms>|<kind>|<party or empty>
 *
 * No field can contain `|` (hex, digits, an ISO time, a kind name, a party label), so the string is
 * unambiguous, and anyone holding the items can recompute the chain without this code.
 */
export function chainInput(item: ChainFields): string {
  return ['evidence-chain-v1', item.prevChainHash, item.sha256, String(item.seq), item.fixedAt.toISOString(), item.kind, item.party ?? ''].join('|');
}

export const chainHash = (item: ChainFields) => sha256Hex(chainInput(item));

export const extensionOf = (mimeType: string) => ({ 'image/jpeg': 'jpg', 'image/png': 'png', 'video/mp4': 'mp4', 'application/json': 'json' })[mimeType] ?? 'bin';
