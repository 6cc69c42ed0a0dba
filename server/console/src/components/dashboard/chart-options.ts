import type { ArrivalsVsDuty, DayRow, Histogram, HourRow, RedirectReasonCount, StatisticsOutcomes, WeekRow, WeekdayRow } from '../../../../../typings/api/statistics';
import type { ChartOption } from './echarts';
import { CHART_COLORS } from './echarts';
import { OUTCOME_LABELS, OUTCOME_ORDER, SERVICE_LEVEL_TARGET, WEEKDAY_LABELS, binLabel, reasonLabel } from './stats-labels';
import { shortDate } from './dates';

/**
 * The statistics page's charts as ECharts options: pure functions of the API's figures, so the page
 * only chooses which to draw. Labels are words and Beijing dates, never codes.
 */
const [BLUE, GREEN, ORANGE, RED, , , GREY] = CHART_COLORS as [string, string, string, string, string, string, string];
const HOURS = Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, '0')}时`);
const round1 = (n: number) => Math.round(n * 10) / 10;
const pct = (share: number | null) => (share === null ? null : Math.round(share * 1000) / 10);

/** A day's (or the average day's) arrivals per hour as bars, dispatchers on duty as a stepped line. */
export function arrivalsVsDutyOption(a: ArrivalsVsDuty): ChartOption {
  return {
    xAxis: { type: 'category', data: HOURS, axisTick: { alignWithLabel: true } },
    yAxis: [
      { type: 'value', name: '报案（件）', nameTextStyle: { align: 'left' }, minInterval: a.day ? 1 : 0, splitLine: { lineStyle: { type: 'dashed' } } },
      { type: 'value', name: '在岗（人）', nameTextStyle: { align: 'right' }, minInterval: a.day ? 1 : 0, splitLine: { show: false } },
    ],
    legend: { top: 0, right: 0 },
    grid: { left: 8, right: 8, top: 48, bottom: 8, containLabel: true },
    series: [
      { name: '报案', type: 'bar', data: a.hours.map((h) => round1(h.arrivals)), barMaxWidth: 18, itemStyle: { color: BLUE, borderRadius: [2, 2, 0, 0] } },
      { name: '在岗接警员', type: 'line', yAxisIndex: 1, step: 'middle', symbol: 'none', data: a.hours.map((h) => round1(h.dispatchersOnDuty)), lineStyle: { width: 2, color: ORANGE }, itemStyle: { color: ORANGE } },
    ],
  };
}

/** A duration histogram; bins within the target in the series colour, the ones past it in orange. */
export function histogramOption(h: Histogram, targetSeconds: number, name: string): ChartOption {
  return {
    xAxis: { type: 'category', data: h.bins.map((b) => binLabel(b.fromSeconds, b.toSeconds)), axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value', name: '件', nameTextStyle: { align: 'left' }, minInterval: 1, splitLine: { lineStyle: { type: 'dashed' } } },
    legend: { show: false },
    series: [
      {
        name,
        type: 'bar',
        barCategoryGap: '12%',
        data: h.bins.map((b) => ({ value: b.count, itemStyle: { color: b.toSeconds !== null && b.toSeconds <= targetSeconds ? BLUE : ORANGE } })),
      },
    ],
  };
}

/** The 5-minute service level and the 60-second answer rate by ISO week, against the 80 % target. */
export function serviceLevelByWeekOption(weeks: WeekRow[], rangeFrom: string): ChartOption {
  // A first week cut by the range is named by its first day in the range, not by a Monday before it.
  return {
    xAxis: { type: 'category', data: weeks.map((w) => `${shortDate(w.weekStart < rangeFrom ? rangeFrom : w.weekStart)}起`), boundaryGap: false },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { lineStyle: { type: 'dashed' } } },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null || v === undefined ? '无数据' : `${String(v)}%`) },
    series: [
      {
        name: '5 分钟内办结率',
        type: 'line',
        data: weeks.map((w) => pct(w.serviceLevel.share)),
        connectNulls: true,
        symbolSize: 7,
        lineStyle: { width: 3, color: GREEN },
        itemStyle: { color: GREEN },
        markLine: {
          silent: true,
          symbol: 'none',
          label: { formatter: `目标 ${SERVICE_LEVEL_TARGET * 100}%`, position: 'insideEndTop', color: RED },
          lineStyle: { color: RED, type: 'dashed' },
          data: [{ yAxis: SERVICE_LEVEL_TARGET * 100 }],
        },
      },
      { name: '60 秒内接听率', type: 'line', data: weeks.map((w) => pct(w.serviceLevel.answeredShare)), connectNulls: true, symbolSize: 5, lineStyle: { width: 2, color: BLUE }, itemStyle: { color: BLUE } },
    ],
  };
}

/** Reported and released per Beijing day. */
export function perDayOption(days: DayRow[]): ChartOption {
  return {
    xAxis: { type: 'category', data: days.map((d) => shortDate(d.date)), axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { type: 'dashed' } } },
    series: [
      { name: '报案', type: 'bar', data: days.map((d) => d.reported), barMaxWidth: 14, itemStyle: { color: BLUE, borderRadius: [2, 2, 0, 0] } },
      { name: '放行', type: 'line', data: days.map((d) => d.released), symbol: 'none', lineStyle: { width: 2, color: GREEN }, itemStyle: { color: GREEN } },
    ],
  };
}

/** Cases per day on each weekday (Monday first): the weekday effect. */
export function perWeekdayOption(rows: WeekdayRow[]): ChartOption {
  return {
    xAxis: { type: 'category', data: rows.map((r) => WEEKDAY_LABELS[r.weekday - 1] ?? String(r.weekday)) },
    yAxis: { type: 'value', name: '日均（件）', nameTextStyle: { align: 'left' }, splitLine: { lineStyle: { type: 'dashed' } } },
    legend: { show: false },
    series: [{ name: '日均报案', type: 'bar', barMaxWidth: 28, data: rows.map((r) => ({ value: round1(r.perDay), itemStyle: { color: r.weekday >= 6 ? ORANGE : BLUE } })) }],
  };
}

/** Cases per day in each Beijing clock hour: the daily profile. */
export function perHourOption(rows: HourRow[]): ChartOption {
  return {
    xAxis: { type: 'category', data: rows.map((r) => HOURS[r.hour] ?? String(r.hour)), axisTick: { alignWithLabel: true } },
    yAxis: { type: 'value', name: '日均（件）', nameTextStyle: { align: 'left' }, splitLine: { lineStyle: { type: 'dashed' } } },
    legend: { show: false },
    series: [{ name: '日均报案', type: 'bar', barMaxWidth: 16, data: rows.map((r) => round1(r.perDay)), itemStyle: { color: BLUE, borderRadius: [2, 2, 0, 0] } }],
  };
}

/** Where the cases ended up, largest bucket on top; then the redirect reasons, in words. */
export function outcomesOption(o: StatisticsOutcomes): ChartOption {
  const order = [...OUTCOME_ORDER].reverse();
  const colour: Record<keyof StatisticsOutcomes, string> = { released: GREEN, redirected: ORANGE, refused: GREY, cancelled: BLUE, abandoned: RED, open: '#8e56dd' };
  return {
    xAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { type: 'dashed' } } },
    yAxis: { type: 'category', data: order.map((k) => OUTCOME_LABELS[k]), axisTick: { show: false } },
    legend: { show: false },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
    series: [{ name: '件数', type: 'bar', barMaxWidth: 22, label: { show: true, position: 'right' }, data: order.map((k) => ({ value: o[k], itemStyle: { color: colour[k] } })) }],
  };
}

export function reasonsOption(reasons: RedirectReasonCount[], top = 8): ChartOption {
  const shown = reasons.slice(0, top).reverse();
  return {
    xAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { type: 'dashed' } } },
    yAxis: { type: 'category', data: shown.map((r) => reasonLabel(r)), axisTick: { show: false }, axisLabel: { width: 140, overflow: 'truncate' } },
    legend: { show: false },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
    series: [{ name: '件数', type: 'bar', barMaxWidth: 18, label: { show: true, position: 'right' }, data: shown.map((r) => ({ value: r.count, itemStyle: { color: r.source === 'refused' ? GREY : ORANGE } })) }],
  };
}
