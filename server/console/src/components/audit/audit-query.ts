import type { AuditEntryView, AuditSearchQuery } from '../../../../../typings/api/audit';
import { AUDIT_ACTION_GROUP_LABELS, AUDIT_ACTION_LABELS } from '../../../../../typings/labels/audit-labels';
import { queryString } from '../../api';

/** The filter bar as typed: empty means "any". */
export interface AuditFilterDraft {
  /** A staff member's username. */
  actor: string;
  /** A case number (8 characters) or a case id. */
  caseRef: string;
  /** An action, or a group prefix ending in a dot. */
  action: string;
  /** Beijing days, both included; empty for any time. */
  range: [string, string] | [];
}

export const emptyFilters = (): AuditFilterDraft => ({ actor: '', caseRef: '', action: '', range: [] });

/** The filters as the API reads them (the search and its CSV take the same). */
export function toQuery(f: AuditFilterDraft): AuditSearchQuery {
  return {
    ...(f.actor.trim() ? { actor: f.actor.trim() } : {}),
    ...(f.caseRef.trim() ? { caseId: f.caseRef.trim() } : {}),
    ...(f.action ? { action: f.action } : {}),
    ...(f.range.length === 2 ? { from: f.range[0], to: f.range[1] } : {}),
  };
}

export const exportUrl = (q: AuditSearchQuery) => `/api/v1/admin/audit/export.csv${queryString({ ...q })}`;

/** The action picker: each group, first "all of it" (the prefix), then its actions in words. */
export const ACTION_GROUPS = Object.entries(AUDIT_ACTION_GROUP_LABELS).map(([group, label]) => ({
  group,
  label,
  options: [
    { value: `${group}.`, label: `${label}（全部）` },
    ...Object.entries(AUDIT_ACTION_LABELS)
      .filter(([action]) => action.split('.')[0] === group)
      .map(([value, words]) => ({ value, label: words })),
  ],
}));

/** A row's key: the chain's number, or the case's event by its revision. */
export const rowKey = (e: AuditEntryView) => (e.seq !== null ? `chain-${e.seq}` : `case-${e.caseId}-${String(e.details.rev ?? e.at)}`);
