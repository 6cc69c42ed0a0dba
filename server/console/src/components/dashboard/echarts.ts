/**
 * ECharts, trimmed to what the statistics page draws: the core, the canvas renderer (no SVG, no
 * eval — the console's CSP forbids it), bar and line charts and the components they need.
 * Importing `echarts` whole would add the maps, 3D helpers and every series type to this chunk.
 */
import { use, init, type ComposeOption, type EChartsType } from 'echarts/core';
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type MarkLineComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([BarChart, LineChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | MarkLineComponentOption | TooltipComponentOption
>;

export { init, type EChartsType };

/** The console's palette (TDesign brand blue first), so the charts match the tiles and tables. */
export const CHART_COLORS = ['#0052d9', '#2ba471', '#e37318', '#d54941', '#8e56dd', '#029cd4', '#a0a7b4'];

/** Axis text and grid lines in TDesign's secondary greys; the console's CJK font stack. */
export const BASE_OPTION: ChartOption = {
  color: CHART_COLORS,
  textStyle: { fontFamily: "'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', system-ui, sans-serif", color: 'rgba(0,0,0,0.6)' },
  grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
  tooltip: { trigger: 'axis', confine: true },
  legend: { top: 0, right: 0, itemWidth: 12, itemHeight: 8, textStyle: { color: 'rgba(0,0,0,0.6)' } },
};
