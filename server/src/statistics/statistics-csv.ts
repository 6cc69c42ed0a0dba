import { stringify } from 'csv-stringify/sync';
import type { ServiceLevel, StatisticsResponse, StatisticsTable } from '../../../typings/api/statistics';
import { CASE_OUTCOMES, type CaseOutcome } from '../cases';

type Cell = string | number | null;
interface Table {
  /** The file's name (without .csv), in Chinese as ops file it. */
  title: string;
  header: string[];
  rows: Cell[][];
}

/** A share as a percentage with one decimal, empty when there is nothing to divide by. */
const percent = (share: number | null) => (share === null ? '' : (share * 100).toFixed(1));
const round2 = (n: number) => Math.round(n * 100) / 100;
const WEEKDAYS = ['', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六', '星期日'];
/** The lifecycle's outcome groups, each in ops' words (the type asks for every one). */
const OUTCOME_WORDS: Record<CaseOutcome & keyof StatisticsResponse['outcomes'], string> = {
  released: '放行',
  redirected: '转其他方式处理',
  refused: '报案时不符合条件',
  cancelled: '报案人取消',
  abandoned: '超时未处理',
  open: '处理中',
};
const OUTCOMES = CASE_OUTCOMES.map((key) => [key, OUTCOME_WORDS[key]] as const);
const REVIEW_OUTCOMES: [keyof StatisticsResponse['reviews']['outcomes'], string][] = [
  ['received', '已收到未受理'],
  ['accepted', '已受理'],
  ['not_accepted', '不予受理'],
  ['upheld', '维持原认定'],
  ['redone', '重新认定'],
];
const serviceLevelCells = (s: ServiceLevel): Cell[] => [s.eligible, s.releasedWithin, percent(s.share), s.answered, s.answeredWithin, percent(s.answeredShare)];
const SERVICE_LEVEL_HEADER = ['接听并结束通话数', '5分钟内放行数', '5分钟放行率(%)', '接听数', '60秒内接听数', '60秒接听率(%)'];

/** Every table the page exports, built from one statistics answer. */
const TABLES: Record<StatisticsTable, (s: StatisticsResponse) => Table> = {
  'per-day': (s) => ({ title: '每日案件量', header: ['日期', '报案数', '接听数', '放行数'], rows: s.perDay.map((d) => [d.date, d.reported, d.answered, d.released]) }),
  'per-hour': (s) => ({ title: '分时段案件量', header: ['时段', '报案数', '日均报案数'], rows: s.perHour.map((h) => [`${String(h.hour).padStart(2, '0')}:00–${String(h.hour).padStart(2, '0')}:59`, h.reported, round2(h.perDay)]) }),
  'per-weekday': (s) => ({ title: '分星期案件量', header: ['星期', '报案数', '天数', '日均报案数'], rows: s.perWeekday.map((w) => [WEEKDAYS[w.weekday]!, w.reported, w.days, round2(w.perDay)]) }),
  'per-brigade': (s) => ({
    title: '分大队统计',
    // The answered count is the service level's own column.
    header: ['大队代码', '大队名称', '报案数', '放行数', ...SERVICE_LEVEL_HEADER, '等待中位数(秒)', '等待P90(秒)', '处理中位数(秒)', '处理P90(秒)'],
    rows: s.perBrigade.map((b) => [b.brigadeCode, b.brigadeName, b.reported, b.released, ...serviceLevelCells(b.serviceLevel), b.answerWait.p50Seconds, b.answerWait.p90Seconds, b.handling.p50Seconds, b.handling.p90Seconds]),
  }),
  'per-district': (s) => ({ title: '分区县统计', header: ['行政区划代码', '区县', '报案数', '放行数'], rows: s.perDistrict.map((d) => [d.adcode ?? '', d.name, d.reported, d.released]) }),
  outcomes: (s) => {
    const total = OUTCOMES.reduce((sum, [key]) => sum + s.outcomes[key], 0);
    return { title: '处理结果', header: ['结果', '案件数', '占比(%)'], rows: OUTCOMES.map(([key, label]) => [label, s.outcomes[key], percent(total ? s.outcomes[key] / total : null)]) };
  },
  'redirect-reasons': (s) => ({ title: '转其他方式处理原因', header: ['来源', '原因', '代码', '案件数'], rows: s.redirectReasons.map((r) => [r.source === 'refused' ? '报案时规则' : '接警员', r.label, r.source === 'refused' ? r.reason : '', r.count]) }),
  'service-level-by-week': (s) => ({ title: '每周服务水平', header: ['周', '周一日期', ...SERVICE_LEVEL_HEADER], rows: s.serviceLevelByWeek.map((w) => [w.isoWeek, w.weekStart, ...serviceLevelCells(w.serviceLevel)]) }),
  'wait-histogram': (s) => ({ title: '接听等待时间分布', header: ['起(秒)', '止(秒)', '案件数'], rows: s.waitHistogram.bins.map((b) => [b.fromSeconds, b.toSeconds ?? '', b.count]) }),
  'handling-histogram': (s) => ({ title: '处理时长分布', header: ['起(秒)', '止(秒)', '案件数'], rows: s.handlingHistogram.bins.map((b) => [b.fromSeconds, b.toSeconds ?? '', b.count]) }),
  'arrivals-vs-duty': (s) => ({
    title: s.arrivalsVsDuty.day ? `${s.arrivalsVsDuty.day}报案与在岗接警员` : '日均报案与在岗接警员',
    header: ['时段', '报案数', '在岗接警员'],
    rows: s.arrivalsVsDuty.hours.map((h) => [`${String(h.hour).padStart(2, '0')}:00`, round2(h.arrivals), round2(h.dispatchersOnDuty)]),
  }),
  reviews: (s) => ({
    title: '复核统计',
    header: ['项目', '数量'],
    rows: [['已送达认定书', s.reviews.delivered], ['申请复核', s.reviews.requested], ['复核率(%)', percent(s.reviews.rate)], ...REVIEW_OUTCOMES.map(([key, label]): Cell[] => [label, s.reviews.outcomes[key]])],
  }),
  'insurer-handoffs': (s) => ({
    title: '发送保险公司统计',
    header: ['保险公司代码', '保险公司', '发送数', '已受理数'],
    rows: s.insurerHandoffs.byInsurer.map((i) => [i.insurerCode, i.insurerName, i.total, i.accepted]),
  }),
};

export const isStatisticsTable = (name: string): name is StatisticsTable => Object.hasOwn(TABLES, name);

/** One table as CSV: UTF-8 with a BOM (Excel then reads the Chinese right), a header row, CRLF lines. */
export function statisticsCsv(table: StatisticsTable, s: StatisticsResponse): { filename: string; asciiFilename: string; body: string } {
  const { title, header, rows } = TABLES[table](s);
  const scope = s.range.brigade ? `${s.range.brigade.name}_` : '';
  const body = stringify([header, ...rows.map((r) => r.map((c) => (c === null ? '' : c)))], { bom: true, record_delimiter: 'windows' });
  return { filename: `${scope}${title}_${s.range.from}_${s.range.to}.csv`, asciiFilename: `statistics-${table}-${s.range.from}-${s.range.to}.csv`, body };
}
