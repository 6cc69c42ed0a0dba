import { Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import { DateTime } from 'luxon';
import type { AuditEntryView } from '../../../typings/api/audit';
import { auditDetailLines } from '../../../typings/labels/audit-labels';
import type { Logger } from '../platform/logger';
import type { AuditFilter } from './audit-query';
import { searchAll, type FoundEntry } from './audit-search';
import { lookUpStaff, toAuditView, type StaffDirectory } from './audit-view';

const COLUMNS = [
  { key: 'seq', header: '序号' },
  { key: 'at', header: '时间（北京时间）' },
  { key: 'name', header: '操作人' },
  { key: 'username', header: '用户名' },
  { key: 'role', header: '角色' },
  { key: 'action', header: '操作' },
  { key: 'actionCode', header: '操作代码' },
  { key: 'target', header: '对象' },
  { key: 'caseNo', header: '案件号' },
  { key: 'changes', header: '变更（前 → 后）' },
  { key: 'details', header: '详情' },
  { key: 'requestId', header: '请求号' },
];

/** A cell Excel would read as a formula (=, +, -, @ first) is kept as text. */
const cell = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

function row(v: AuditEntryView): Record<string, string> {
  return {
    seq: v.seq === null ? '案件记录' : String(v.seq),
    at: DateTime.fromISO(v.at).setZone('Asia/Shanghai').toFormat('yyyy-MM-dd HH:mm:ss'),
    name: cell(v.actor.name),
    username: v.actor.username ?? '',
    role: v.actor.roleLabel,
    action: v.actionLabel,
    actionCode: v.action,
    target: cell(v.target.label),
    caseNo: v.caseNo ?? '',
    changes: cell(v.changes.map((c) => `${c.label}：${c.before ?? '（无）'} → ${c.after ?? '（无）'}`).join('；')),
    details: cell(auditDetailLines(v.details).map((d) => `${d.label}：${d.text}`).join('；')),
    requestId: v.requestId ?? '',
  };
}

const BATCH = 200;

async function* rows(filter: AuditFilter, max: number): AsyncGenerator<Record<string, string>> {
  const directory: StaffDirectory = new Map();
  let batch: FoundEntry[] = [];
  const flush = async function* () {
    await lookUpStaff(batch, directory);
    for (const item of batch) yield row(toAuditView(item, directory));
    batch = [];
  };
  for await (const item of searchAll(filter, max)) {
    if ('capped' in item) {
      yield* flush();
      yield { seq: `已达导出上限 ${max} 行：更早的记录未导出，请缩小时间范围或加上筛选条件后分批导出` };
      return;
    }
    batch.push(item);
    if (batch.length >= BATCH) yield* flush();
  }
  yield* flush();
}

/**
 * The search's entries as CSV, streamed: UTF-8 with a BOM (Excel then reads the Chinese right), Chinese
 * headers, at most `max` rows — when there were more, a last row says so. A failure mid-way can only cut
 * the file short (the status line has gone): it is logged.
 */
export function auditCsv(filter: AuditFilter, max: number, logger: Logger): Readable {
  const csv = stringify({ bom: true, header: true, columns: COLUMNS });
  pipeline(Readable.from(rows(filter, max)), csv, (err) => {
    if (err) logger.error({ err }, 'audit export cut short');
  });
  return csv;
}
