import { DateTime } from 'luxon';
import { isValidObjectId } from 'mongoose';
import { z } from 'zod';
import type { ValidationIssue } from '../../../typings/api/errors';
import { casesNumbered } from '../cases';
import { AppError } from '../platform/errors';
import { toValidationIssues } from '../platform/validate';
import { Staff } from '../staff';

const ZONE = 'Asia/Shanghai';
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const OBJECT_ID = /^[0-9a-f]{24}$/i;
const CASE_NUMBER = /^[0-9a-f]{8}$/i;
export const PAGE_LIMIT = { default: 50, max: 200 };
export const EXPORT_LIMIT = 50_000;

/** A day (Asia/Shanghai) or an instant with its offset. */
const when = z.string().trim().max(40).refine((v) => (DAY.test(v) ? DateTime.fromISO(v, { zone: ZONE }).isValid : z.iso.datetime({ offset: true }).safeParse(v).success), {
  message: '时间为 YYYY-MM-DD（北京时间）或带时区的 ISO 时间',
});

/** The query string of a search or an export (published as the routes' contract). */
export const auditQuerySchema = z.object({
  actor: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/, '操作人为用户名或账号编号').optional(),
  caseId: z.string().trim().refine((v) => OBJECT_ID.test(v) || CASE_NUMBER.test(v), { message: '案件为 24 位案件编号或 8 位案件号' }).optional(),
  action: z.string().trim().max(64).regex(/^[a-z][a-z_]*(\.[a-z_]+)*\.?$/, '操作为操作代码（如 service.suspend）或以 . 结尾的前缀（如 service.）').optional(),
  from: when.optional(),
  to: when.optional(),
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).optional(),
});

/** What a search looks for, resolved: ids, bounds, the action as an exact name or a prefix. */
export interface AuditFilter {
  actorId: string | null;
  /** null: any case. Several when two cases share the number asked for. */
  caseIds: string[] | null;
  action: { exact: string } | { group: string; prefix: string } | null;
  /** Inclusive. */
  from: Date | null;
  /** Exclusive. */
  to: Date | null;
}

export interface AuditQuery {
  /** The filters as asked, checked (what an export records of itself). */
  asked: Record<string, string | number>;
  filter: AuditFilter;
  before: number | null;
  limit: number;
}

const invalid = (issues: ValidationIssue[]) => new AppError(400, 'AUDIT_FILTER_INVALID', `筛选条件有误：${issues[0]?.message ?? '格式不正确'}`, { issues });

/**
 * The query string of a search or an export, checked and resolved: a username to the account's id,
 * a case number to the case(s), days to Asia/Shanghai midnights. Any problem: 400 AUDIT_FILTER_INVALID.
 */
export async function parseAuditQuery(raw: Record<string, unknown>, limits: { default: number; max: number }): Promise<AuditQuery> {
  const parsed = auditQuerySchema.safeParse(raw);
  if (!parsed.success) throw invalid(toValidationIssues(parsed.error));
  const q = parsed.data;
  if (q.limit !== undefined && q.limit > limits.max) throw invalid([{ path: 'limit', message: `每次最多 ${limits.max} 条` }]);

  const from = q.from ? startOf(q.from) : null;
  const to = q.to ? endOf(q.to) : null;
  if (from && to && from >= to) throw invalid([{ path: 'to', message: '结束时间必须晚于开始时间' }]);

  return {
    asked: Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)) as Record<string, string | number>,
    filter: {
      actorId: q.actor ? await actorIdOf(q.actor) : null,
      caseIds: q.caseId ? await caseIdsOf(q.caseId) : null,
      action: q.action ? (q.action.endsWith('.') ? { group: q.action.split('.')[0]!, prefix: q.action } : { exact: q.action }) : null,
      from,
      to,
    },
    before: q.before ?? null,
    limit: q.limit ?? limits.default,
  };
}

const startOf = (v: string) => (DAY.test(v) ? DateTime.fromISO(v, { zone: ZONE }).startOf('day').toJSDate() : new Date(v));
/** A day runs to the next midnight; an instant is included itself. */
const endOf = (v: string) => (DAY.test(v) ? DateTime.fromISO(v, { zone: ZONE }).plus({ days: 1 }).startOf('day').toJSDate() : new Date(new Date(v).getTime() + 1));

/** A username (what ops type) or an account id (what a link carries). An unknown one is a mistake, not an empty answer. */
async function actorIdOf(actor: string): Promise<string> {
  if (OBJECT_ID.test(actor) && isValidObjectId(actor)) return actor.toLowerCase();
  const staff = await Staff.findOne({ username: actor.toLowerCase() }, { _id: 1 }).lean();
  if (!staff) throw invalid([{ path: 'actor', message: `没有用户名为 ${actor} 的工作人员` }]);
  return String(staff._id);
}

async function caseIdsOf(value: string): Promise<string[]> {
  if (OBJECT_ID.test(value)) return [value.toLowerCase()];
  const ids = await casesNumbered(value);
  if (ids.length === 0) throw invalid([{ path: 'caseId', message: `没有案件号为 ${value.toUpperCase()} 的案件` }]);
  return ids;
}
