import type { AuditActorRole } from '../api/audit';

/**
 * The audit log in words, in one place: the server writes the CSV with these, the console's audit page
 * shows and filters by them. An action not listed reads as 「其他操作（code）」; a test checks that every
 * action the server audits is listed.
 */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  // what staff do in the ops console
  'service.suspend': '暂停服务',
  'service.lift_suspension': '恢复服务',
  'service_calendar.save': '保存服务时间',
  'brigade.create': '新建大队',
  'brigade.update': '修改大队',
  'staff.login': '登录接警台',
  'staff.logout': '退出登录',
  'staff.create': '新建工作人员账号',
  'staff.update': '修改工作人员账号',
  'staff.password_reset': '重置工作人员密码',
  'road_layer.replace': '更新路网图层',
  'identity_review.view_photo': '查看身份证照片',
  'identity_review.approve': '通过身份审核',
  'identity_review.reject': '驳回身份审核',
  'scenario_library.save': '保存情形库',
  'roster.save': '保存排班',
  'audit.export': '导出审计日志',
  'statistics.export': '导出统计表',
  // a case's own log: its state changes…
  'case.submit': '报案',
  'case.refuse': '不予受理报案',
  'case.answer': '接听视频',
  'case.start_collecting': '开始取证',
  'case.release': '放行撤离',
  'case.redirect': '转其他方式处理',
  'case.cancel': '报案人取消',
  'case.time_out': '超时中断',
  'case.resume': '继续处理',
  'case.dispatcher_dropped': '接警员掉线，回到队列',
  'case.determine': '责任认定',
  'case.deliver': '送达认定书',
  'case.request_review': '申请复核',
  'case.review': '复核结论',
  'case.decline_review': '不予受理复核',
  'case.send_back': '发回重新认定',
  'case.close': '结案',
  // …and its changes that keep the state
  'case.join': '当事人加入案件',
  'case.recording_consent': '同意录像',
  'case.party_info_by_party': '当事人填写信息',
  'case.party_info': '登记当事人信息',
  'case.facts': '登记事故事实',
  'case.shot_requested': '要求拍摄照片',
  'case.scenario_tags': '标注事故情形',
  'case.certificate_issued': '出具认定书',
  'case.review_joined': '加入复核申请',
  'case.review_accepted': '受理复核',
  'case.checks': '核查证照',
  'case.evidence_fixed': '固定证据',
  'case.recording_started': '开始录像',
  'case.recording_stopped': '停止录像',
  'case.recording_failed': '录像失败',
};

/** The prefixes the filter offers (`service.` …): an action's first segment. */
export const AUDIT_ACTION_GROUP_LABELS: Record<string, string> = {
  service: '服务暂停与恢复',
  service_calendar: '服务时间',
  brigade: '大队',
  staff: '工作人员账号',
  road_layer: '路网图层',
  identity_review: '身份审核',
  scenario_library: '情形库',
  roster: '排班',
  audit: '审计日志',
  statistics: '统计分析',
  case: '案件办理',
};

export const AUDIT_ROLE_LABELS: Record<AuditActorRole, string> = {
  dispatcher: '接警员',
  officer: '民警',
  reviewer: '复核民警',
  ops: '运维',
  driver: '当事人',
  system: '系统',
};

/** What an entry acted on. */
export const AUDIT_TARGET_LABELS: Record<string, string> = {
  case: '案件',
  suspension: '服务暂停',
  service_calendar: '服务时间',
  brigade: '大队',
  staff: '工作人员账号',
  road_layer: '路网图层',
  identity_review: '身份审核',
  scenario_library: '情形库',
  roster: '排班',
  audit_log: '审计日志',
  statistics: '统计表',
};

export function auditActionLabel(action: string): string {
  return AUDIT_ACTION_LABELS[action] ?? `其他操作（${action}）`;
}

/** The keys an entry's details use, in words (a key not listed shows as it is). */
export const AUDIT_DETAIL_LABELS: Record<string, string> = {
  reason: '原因',
  brigadeCode: '大队',
  until: '恢复时间',
  code: '编码',
  name: '名称',
  districtAdcodes: '辖区（行政区划代码）',
  dutyPhone: '值班电话',
  username: '用户名',
  displayName: '姓名',
  role: '角色',
  disabled: '停用',
  count: '情形数量',
  side: '证件照片面',
  rev: '版本',
  changes: '变更',
  calendar: '服务时间',
  replacedVersion: '替换的版本',
  featureCount: '道路条数',
  positionCount: '坐标点数',
  roadNames: '道路名称',
  illustrative: '示意数据',
  sizeBytes: '文件大小（字节）',
  caseId: '案件编号',
  fields: '记录的内容',
  // an export's filters
  actor: '操作人',
  action: '操作',
  from: '起始',
  to: '截止',
  limit: '行数上限',
  brigade: '大队',
};

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const beijingTime = new Intl.DateTimeFormat('zh-CN', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' });

/** A detail's value as people read it: 是/否, — for nothing, instants in Beijing time, lists joined. */
export function auditDetailText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'string' && INSTANT.test(value)) {
    const p = Object.fromEntries(beijingTime.formatToParts(new Date(value)).map((x) => [x.type, x.value]));
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}（北京时间）`;
  }
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) return value.length ? value.map(auditDetailText).join('、') : '（无）';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A field's value in words: a role by its name, the rest by auditDetailText. */
export function auditFieldText(field: string, value: unknown): string {
  if (field === 'role' && typeof value === 'string' && value in AUDIT_ROLE_LABELS) return AUDIT_ROLE_LABELS[value as AuditActorRole];
  return auditDetailText(value);
}

/** Every detail of an entry in words, in its order. */
export function auditDetailLines(details: Record<string, unknown>): { key: string; label: string; text: string }[] {
  return Object.entries(details).map(([key, value]) => ({ key, label: AUDIT_DETAIL_LABELS[key] ?? key, text: auditFieldText(key, value) }));
}
