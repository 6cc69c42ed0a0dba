import { isValidObjectId } from 'mongoose';
import type { AuditActorRole, AuditChange, AuditEntryView } from '../../../typings/api/audit';
import { AUDIT_DETAIL_LABELS, AUDIT_ROLE_LABELS, AUDIT_TARGET_LABELS, auditActionLabel, auditFieldText } from '../../../typings/labels/audit-labels';
import type { CaseState } from '../../../typings/api/cases';
import { caseNumber, STATE_WORDS } from '../cases';
import { maskForAudit } from '../platform/audit/audit';
import { Staff } from '../staff';
import { caseEventAction, type CaseLogEvent, type ChainEntry, type FoundEntry } from './audit-search';

interface StaffCard {
  username: string;
  displayName: string;
  role: string;
}
/** Staff accounts by id, looked up once per page (or per batch of an export) and kept. */
export type StaffDirectory = Map<string, StaffCard | null>;

const isRole = (v: unknown): v is AuditActorRole => typeof v === 'string' && v in AUDIT_ROLE_LABELS;
/** Versioned things an entry names by revision. */
const VERSIONED = new Set(['service_calendar', 'scenario_library', 'road_layer']);

/** Fills the directory with the accounts these entries name (as actor or as target) that it does not hold yet. */
export async function lookUpStaff(items: FoundEntry[], directory: StaffDirectory): Promise<void> {
  const ids = new Set<string>();
  for (const item of items) {
    const actorId = item.source === 'chain' ? item.entry.actor.id : item.event.actor?.id;
    if (actorId) ids.add(actorId);
    if (item.source === 'chain' && item.entry.target.kind === 'staff') ids.add(item.entry.target.id);
  }
  const wanted = [...ids].filter((id) => !directory.has(id) && isValidObjectId(id) && /^[0-9a-f]{24}$/.test(id));
  if (wanted.length === 0) return;
  const found = await Staff.find({ _id: { $in: wanted } }, { username: 1, displayName: 1, role: 1 }).lean();
  for (const id of wanted) directory.set(id, null);
  for (const s of found) directory.set(String(s._id), { username: s.username, displayName: s.displayName, role: s.role });
}

function targetLabel(kind: string, id: string, directory: StaffDirectory): string {
  const words = AUDIT_TARGET_LABELS[kind] ?? kind;
  if (kind === 'case') return `${words} ${caseNumber(id)}`;
  if (kind === 'staff') {
    const s = directory.get(id);
    return s ? `${words} ${s.displayName}（${s.username}）` : `${words} ${id}`;
  }
  if (VERSIONED.has(kind)) return `${words} 第 ${id} 版`;
  return `${words} ${id}`;
}

function chainView(e: ChainEntry, directory: StaffDirectory): AuditEntryView {
  const staff = directory.get(e.actor.id) ?? null;
  // The role recorded with the entry; an older entry's kind when it names a role; else the account's role now.
  const role = isRole(e.actor.role) ? e.actor.role : isRole(e.actor.kind) ? e.actor.kind : isRole(staff?.role) ? (staff.role as AuditActorRole) : null;
  const { before, after, ...rest } = (maskForAudit(e.details ?? {}) ?? {}) as Record<string, unknown>;
  const changes: AuditChange[] = [];
  if (isRecord(before) || isRecord(after)) {
    const b = isRecord(before) ? before : {};
    const a = isRecord(after) ? after : {};
    for (const field of new Set([...Object.keys(b), ...Object.keys(a)])) {
      changes.push({ field, label: AUDIT_DETAIL_LABELS[field] ?? field, before: field in b ? auditFieldText(field, b[field]) : null, after: field in a ? auditFieldText(field, a[field]) : null });
    }
  }
  return {
    seq: e._id,
    source: 'chain',
    at: e.at.toISOString(),
    actor: {
      id: e.actor.id,
      username: staff?.username ?? e.actor.username ?? null,
      name: staff?.displayName ?? e.actor.username ?? '未知账号',
      role,
      roleLabel: role ? AUDIT_ROLE_LABELS[role] : '未知',
    },
    action: e.action,
    actionLabel: auditActionLabel(e.action),
    target: { kind: e.target.kind, id: e.target.id, label: targetLabel(e.target.kind, e.target.id, directory) },
    caseId: e.caseId ?? null,
    caseNo: e.caseId ? caseNumber(e.caseId) : null,
    changes,
    details: rest,
    requestId: e.requestId ?? null,
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function caseEventView(e: CaseLogEvent, directory: StaffDirectory): AuditEntryView {
  const caseId = String(e.caseId);
  const kind = e.actor?.kind ?? 'system';
  const staff = e.actor?.id ? (directory.get(e.actor.id) ?? null) : null;
  const role = isRole(kind) ? kind : null;
  const name = kind === 'driver' ? '当事人' : kind === 'system' ? '系统' : (staff?.displayName ?? '未知账号');
  const from = e.from as CaseState;
  const to = e.to as CaseState;
  // What else the event recorded, by name only: the values are the case file's (parties, facts), not the log's.
  const paths = Array.isArray(e.setPaths) ? (e.setPaths as { path?: unknown }[]).map((p) => String(p.path)) : [];
  const fields = [...Object.keys((e.set ?? {}) as object), ...paths, ...Object.keys((e.push ?? {}) as object)];
  return {
    seq: null,
    source: 'case_event',
    at: e.at.toISOString(),
    actor: { id: e.actor?.id ?? null, username: staff?.username ?? null, name, role, roleLabel: role ? AUDIT_ROLE_LABELS[role] : '未知' },
    action: caseEventAction(e.event),
    actionLabel: auditActionLabel(caseEventAction(e.event)),
    target: { kind: 'case', id: caseId, label: targetLabel('case', caseId, directory) },
    caseId,
    caseNo: caseNumber(caseId),
    changes: from === to ? [] : [{ field: 'state', label: '状态', before: STATE_WORDS[from] ?? from, after: STATE_WORDS[to] ?? to }],
    details: maskForAudit({ rev: e.rev, ...(e.reason ? { reason: e.reason } : {}), ...(fields.length ? { fields } : {}) }) as Record<string, unknown>,
    requestId: e.requestId ?? null,
  };
}

export function toAuditView(item: FoundEntry, directory: StaffDirectory): AuditEntryView {
  return item.source === 'chain' ? chainView(item.entry, directory) : caseEventView(item.event, directory);
}
