import { caseHistory } from '../cases';
import { AuditEntry } from '../platform/audit/audit';
import type { AuditFilter } from './audit-query';

/** An entry of the chain, as stored. */
export type ChainEntry = {
  _id: number;
  at: Date;
  actor: { kind: string; id: string; username?: string | null; role?: string | null };
  action: string;
  target: { kind: string; id: string };
  details?: unknown;
  requestId?: string | null;
  caseId?: string | null;
};

/** An event of a case's own log (cases/case-event.model.ts), as stored. */
export type CaseLogEvent = Awaited<ReturnType<typeof caseHistory>>[number];

export type FoundEntry = { source: 'chain'; entry: ChainEntry } | { source: 'case_event'; event: CaseLogEvent };

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The chain's filter for a search. Each condition is a top-level equality where it can be (actorId,
 * caseId, action, actionGroup): the only shape FerretDB pushes down to its indexes (see the indexes in
 * platform/audit/audit.ts); the keyset bound and the time range narrow what those found.
 */
export function chainFilter(filter: AuditFilter, before: number | null): Record<string, unknown> {
  const q: Record<string, unknown> = {};
  if (filter.actorId) q.actorId = filter.actorId;
  if (filter.caseIds) q.caseId = filter.caseIds.length === 1 ? filter.caseIds[0] : { $in: filter.caseIds };
  if (filter.action && 'exact' in filter.action) q.action = filter.action.exact;
  if (filter.action && 'group' in filter.action) {
    q.actionGroup = filter.action.group;
    // `identity_review.` is the group itself; a deeper prefix also needs the name to start with it.
    if (filter.action.prefix !== `${filter.action.group}.`) q.action = { $regex: `^${escapeRegex(filter.action.prefix)}` };
  }
  if (before !== null) q._id = { $lt: before };
  if (filter.from || filter.to) q.at = { ...(filter.from ? { $gte: filter.from } : {}), ...(filter.to ? { $lt: filter.to } : {}) };
  return q;
}

/** The action a case's event reads as in the log: `case.answer`, `case.facts`. */
export const caseEventAction = (event: string) => `case.${event}`;

function eventMatches(filter: AuditFilter, e: CaseLogEvent): boolean {
  const action = caseEventAction(e.event);
  if (filter.actorId && e.actor?.id !== filter.actorId) return false;
  if (filter.action && 'exact' in filter.action && action !== filter.action.exact) return false;
  if (filter.action && 'prefix' in filter.action && !action.startsWith(filter.action.prefix)) return false;
  if (filter.from && e.at < filter.from) return false;
  if (filter.to && e.at >= filter.to) return false;
  return true;
}

/**
 * A case's own events for a case search, newest first, those in [from, to) of time. State changes are
 * kept in the case's log (one insert per change, settled by its unique (case, rev) key) and not copied
 * into the chain: a copy would put a second write, serialized behind the chain's single head, on every
 * transition. A case search reads them here instead — one indexed query per case.
 */
async function caseEvents(filter: AuditFilter, window: { from: Date | null; to: Date | null }): Promise<CaseLogEvent[]> {
  if (!filter.caseIds) return [];
  const all = (await Promise.all(filter.caseIds.map((id) => caseHistory(id)))).flat();
  return all
    .filter((e) => eventMatches(filter, e) && (!window.from || e.at >= window.from) && (!window.to || e.at < window.to))
    .sort((a, b) => b.at.getTime() - a.at.getTime() || b.rev - a.rev);
}

/** Newest first; at the same instant the chain's entry before the case's event. */
function merge(chain: ChainEntry[], events: CaseLogEvent[]): FoundEntry[] {
  const out: FoundEntry[] = [];
  let i = 0;
  for (const entry of chain) {
    while (i < events.length && events[i]!.at > entry.at) out.push({ source: 'case_event', event: events[i++]! });
    out.push({ source: 'chain', entry });
  }
  while (i < events.length) out.push({ source: 'case_event', event: events[i++]! });
  return out;
}

/**
 * One page: up to `limit` chain entries numbered below `before`, newest first (keyset by number, never
 * skip). For a case search, the case's own events that fall in the page's stretch of time are merged in:
 * from the time of the entry the page continues after (`before`) back to its own last entry's — the
 * next page starts from exactly that entry, so each event is on exactly one page; the last page takes
 * the rest.
 */
export async function searchPage(filter: AuditFilter, before: number | null, limit: number): Promise<{ items: FoundEntry[]; nextBefore: number | null }> {
  const found = (await AuditEntry.find(chainFilter(filter, before)).sort({ _id: -1 }).limit(limit + 1).lean()) as unknown as ChainEntry[];
  const more = found.length > limit;
  const chain = found.slice(0, limit);
  let events: CaseLogEvent[] = [];
  if (filter.caseIds) {
    const upper = before === null ? null : ((await AuditEntry.findById(before, { at: 1 }).lean())?.at ?? null);
    events = await caseEvents(filter, { from: more ? chain[chain.length - 1]!.at : null, to: upper });
  }
  return { items: merge(chain, events), nextBefore: more ? chain[chain.length - 1]!._id : null };
}

/**
 * Everything a filter finds, newest first, for the export: the chain through one cursor, the case's
 * events merged in as it goes; stops after `max` (and says whether there was more).
 */
export async function* searchAll(filter: AuditFilter, max: number): AsyncGenerator<FoundEntry | { capped: true }> {
  const events = await caseEvents(filter, { from: null, to: null });
  let i = 0;
  let written = 0;
  const cursor = AuditEntry.find(chainFilter(filter, null)).sort({ _id: -1 }).limit(max + 1).lean().cursor();
  try {
    for await (const doc of cursor) {
      const entry = doc as unknown as ChainEntry;
      const due: FoundEntry[] = [];
      while (i < events.length && events[i]!.at > entry.at) due.push({ source: 'case_event', event: events[i++]! });
      due.push({ source: 'chain', entry });
      for (const item of due) {
        if (written++ === max) {
          yield { capped: true };
          return;
        }
        yield item;
      }
    }
    for (; i < events.length; i++) {
      if (written++ === max) {
        yield { capped: true };
        return;
      }
      yield { source: 'case_event', event: events[i]! };
    }
  } finally {
    await cursor.close();
  }
}
