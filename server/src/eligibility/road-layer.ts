import type { Feature, LineString, MultiLineString } from 'geojson';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../platform/json-body';
import { findNodeAtLocation, parse, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { z } from 'zod';
import type { RoadLayerFeatureError } from '../../../typings/api/roads';
import { groupByFeature } from './road-layer-features';

/**
 * The excluded-road layer ops upload: a GeoJSON FeatureCollection of LineString / MultiLineString
 * roads, GCJ-02 [lng, lat] like the district layer and the phone's location (a WGS-84 layer must be
 * converted before upload). Validation works on the uploaded text so that every problem is reported
 * with its 1-based line: ops fix a multi-megabyte file by line, not by a JSON path.
 */

/**
 * `class` of a road, which decides the advice a refused driver reads:
 * - `expressway`: 高速公路 (G/S-numbered national or provincial expressway);
 * - `urban_expressway`: 城市快速路, fast through traffic like an expressway;
 * - `excluded_road`: any other road the traffic police exclude by name (e.g. 江门大道).
 */
export const ROAD_CLASSES = ['expressway', 'urban_expressway', 'excluded_road'] as const;
export type RoadClass = (typeof ROAD_CLASSES)[number];

/** A generous box around Jiangmen (districts span lng 112.00–113.26, lat 21.46–22.86): catches swapped or projected coordinates. */
export const ROAD_LAYER_BOUNDS = { minLng: 111.5, maxLng: 113.5, minLat: 21.3, maxLat: 23.0 } as const;

/**
 * One version is one database document, which must stay well under the 16 MB BSON limit; a real
 * expressway + 江门大道 layer is a few thousand positions, so these leave plenty of room.
 */
export const ROAD_LAYER_LIMITS = {
  maxBytes: 8 * 1024 * 1024,
  maxFeatures: 5_000,
  maxPositions: 200_000,
  /** One road: a 150 km expressway with a point every 10 m; more is a survey trace, not a centre line. */
  maxPositionsPerFeature: 20_000,
  maxIssues: 50,
  /** Roads listed with their problems; a file wrong throughout (swapped columns) says so in the first ones. */
  maxFeatureErrors: 200,
} as const;

export interface RoadProperties {
  name: string;
  class: RoadClass;
  illustrative?: boolean;
  note?: string;
}
export type RoadFeature = Feature<LineString | MultiLineString, RoadProperties>;

export interface RoadLayer {
  type: 'FeatureCollection';
  features: RoadFeature[];
  /** The collection or any road says it is illustrative (the shipped demo does). */
  illustrative: boolean;
  note: string | null;
}

export interface RoadLayerIssue {
  /** 1-based line in the uploaded text. */
  line: number;
  /** Dotted path, e.g. `features.3.geometry.coordinates.0.1`; empty for the file as a whole. */
  path: string;
  message: string;
}

export type RoadLayerParse =
  | { ok: true; layer: RoadLayer; positionCount: number }
  | { ok: false; message: string; issues: RoadLayerIssue[]; featureErrors: RoadLayerFeatureError[] };

const { minLng, maxLng, minLat, maxLat } = ROAD_LAYER_BOUNDS;
const ORDER_HINT = '坐标应为 [经度, 纬度]（GCJ-02）';
const lng = z
  .number({ error: `经度必须是数字，${ORDER_HINT}` })
  .min(minLng, `经度超出江门范围（${minLng}–${maxLng}），${ORDER_HINT}`)
  .max(maxLng, `经度超出江门范围（${minLng}–${maxLng}），${ORDER_HINT}`);
const lat = z
  .number({ error: `纬度必须是数字，${ORDER_HINT}` })
  .min(minLat, `纬度超出江门范围（${minLat}–${maxLat}），${ORDER_HINT}`)
  .max(maxLat, `纬度超出江门范围（${minLat}–${maxLat}），${ORDER_HINT}`);
// GeoJSON allows an altitude (and more) after [lng, lat]; it is dropped, roads are judged in plan.
const position = z.tuple([lng, lat], z.number(), { error: `坐标点必须是数组，${ORDER_HINT}` }).transform(([x, y]) => [x, y]);
const line = z.array(position, { error: '坐标必须是坐标点数组' }).min(2, '一条线至少要有 2 个坐标点');
const geometry = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('LineString'), coordinates: line }),
    z.object({ type: z.literal('MultiLineString'), coordinates: z.array(line, { error: '坐标必须是线的数组' }).min(1, 'MultiLineString 至少要有一条线') }),
  ],
  { error: '几何类型必须是 LineString 或 MultiLineString' },
);
const properties = z.object(
  {
    name: z
      .string({ error: (issue) => (issue.input === undefined ? '缺少道路名称（properties.name）' : '道路名称必须是文字') })
      .trim()
      .min(1, '道路名称不能为空')
      .max(100, '道路名称过长（最多 100 字）'),
    class: z.enum(ROAD_CLASSES, { error: `道路类别（properties.class）必须是 ${ROAD_CLASSES.join(' / ')} 之一` }),
    illustrative: z.boolean({ error: 'illustrative 必须是 true 或 false' }).optional(),
    note: z.string({ error: 'note 必须是文字' }).max(500, 'note 过长（最多 500 字）').optional(),
  },
  { error: '缺少 properties（需要 name 和 class）' },
);
const feature = z.object(
  {
    type: z.literal('Feature', { error: '每一项必须是 "type": "Feature"' }),
    properties,
    geometry,
  },
  { error: '每一项必须是 GeoJSON Feature 对象' },
);
const collection = z.object(
  {
    type: z.literal('FeatureCollection', { error: '文件必须是 GeoJSON FeatureCollection（"type": "FeatureCollection"）' }),
    features: z
      .array(feature, { error: 'features 必须是数组' })
      .min(1, '路网不能为空：空图层会关闭按路网的判断，不予接受')
      .max(ROAD_LAYER_LIMITS.maxFeatures, `道路条数过多（最多 ${ROAD_LAYER_LIMITS.maxFeatures} 条）`),
    // Foreign members (RFC 7946 §6.1) the demo layer uses to say what it is.
    illustrative: z.boolean({ error: 'illustrative 必须是 true 或 false' }).optional(),
    note: z.string({ error: 'note 必须是文字' }).max(1000, 'note 过长（最多 1000 字）').optional(),
  },
  { error: '文件必须是 GeoJSON FeatureCollection 对象' },
);

/** Parses and validates an uploaded layer; never throws on bad input. */
export function parseRoadLayer(rawText: string): RoadLayerParse {
  // A BOM is common in files saved on Windows and harmless; it does not shift line numbers.
  const text = rawText.startsWith('\uFEFF') ? rawText.slice(1) : rawText;
  // Bytes that are not UTF-8 (a GBK export, say) were decoded to U+FFFD: the road names would be garbled.
  const garbled = text.indexOf('\uFFFD');
  if (garbled !== -1) return invalid([{ line: lineLocator(text)(garbled), path: '', message: '文件不是 UTF-8 编码，请另存为 UTF-8 后上传' }], '路网文件编码有误');
  // Checked before parsing: a hostile nesting parses, then overflows the stack of the validators.
  if (jsonDepthExceeds(text)) return invalid([{ line: 1, path: '', message: `嵌套层级过深（最多 ${MAX_JSON_DEPTH} 层），不是有效的路网文件` }], '路网文件有误');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return invalid([syntaxIssue(text, err as Error)], '路网文件不是有效的 JSON');
  }

  const result = collection.safeParse(value);
  // Checks across a road's points and between roads, on every road that is itself well-formed, so a
  // duplicate is reported together with a swapped coordinate elsewhere, not one upload later.
  const wellFormed = result.success ? result.data.features : individually(value);
  const more = roadChecks(wellFormed);
  if (!result.success || more.length > 0) {
    const lines = lineLocator(text);
    const root = parseTree(text);
    const found = [...(result.success ? [] : result.error.issues), ...more].map((issue) => {
      const path = (issue.path as readonly PropertyKey[]).filter((p): p is string | number => typeof p !== 'symbol');
      return { line: root ? lines(offsetOf(root, path)) : 1, path: path.join('.'), message: issue.message };
    });
    const featureErrors = groupByFeature(found, value, ROAD_LAYER_BOUNDS, (index) => (root ? lines(offsetOf(root, ['features', index])) : 1));
    return invalid(found.slice(0, ROAD_LAYER_LIMITS.maxIssues), '路网文件有误', featureErrors.slice(0, ROAD_LAYER_LIMITS.maxFeatureErrors));
  }

  const data = result.data;
  const positionCount = data.features.reduce(
    (sum, f) => sum + (f.geometry.type === 'LineString' ? f.geometry.coordinates.length : f.geometry.coordinates.reduce((n, l) => n + l.length, 0)),
    0,
  );
  if (positionCount > ROAD_LAYER_LIMITS.maxPositions) {
    const root = parseTree(text);
    const line = root ? lineLocator(text)(offsetOf(root, ['features'])) : 1;
    return invalid([{ line, path: 'features', message: `坐标点过多（${positionCount} 个，最多 ${ROAD_LAYER_LIMITS.maxPositions} 个），请简化线形（减少坐标点）后上传` }], '路网文件过大');
  }

  const features: RoadFeature[] = data.features.map((f) => ({
    type: 'Feature',
    properties: { name: f.properties.name, class: f.properties.class, ...(f.properties.illustrative !== undefined ? { illustrative: f.properties.illustrative } : {}), ...(f.properties.note !== undefined ? { note: f.properties.note } : {}) },
    geometry: f.geometry.type === 'LineString' ? { type: 'LineString', coordinates: f.geometry.coordinates } : { type: 'MultiLineString', coordinates: f.geometry.coordinates },
  }));
  return {
    ok: true,
    positionCount,
    layer: {
      type: 'FeatureCollection',
      features,
      illustrative: data.illustrative === true || features.some((f) => f.properties.illustrative === true),
      note: data.note ?? null,
    },
  };
}

function invalid(issues: RoadLayerIssue[], headline: string, featureErrors: RoadLayerFeatureError[] = []): RoadLayerParse {
  const first = issues[0]!;
  const where = first.path ? `${first.path}：` : '';
  const more = issues.length > 1 ? `（共 ${issues.length} 处问题）` : '';
  return { ok: false, message: `${headline}：第 ${first.line} 行 ${where}${first.message}${more}`, issues, featureErrors };
}

type ParsedFeature = z.infer<typeof feature>;
interface RoadIssue {
  path: (string | number)[];
  message: string;
}

/** The roads of a file whose collection failed, each parsed on its own (null where it is itself wrong). */
function individually(value: unknown): (ParsedFeature | null)[] {
  const features = (value as { features?: unknown } | null)?.features;
  if (!Array.isArray(features)) return [];
  return features.slice(0, ROAD_LAYER_LIMITS.maxFeatures).map((f) => {
    const parsed = feature.safeParse(f);
    return parsed.success ? parsed.data : null;
  });
}

const linesOf = (f: ParsedFeature) => (f.geometry.type === 'LineString' ? [f.geometry.coordinates] : f.geometry.coordinates);

/**
 * What a schema cannot see on its own: a road with too many points, a road of no length (every point
 * the same: it would refuse a circle of the buffer's size around one spot), and the same line twice
 * (an export run twice, or one road under two names: the first name would win, silently).
 */
function roadChecks(features: readonly (ParsedFeature | null)[]): RoadIssue[] {
  const issues: RoadIssue[] = [];
  const seen = new Map<string, number>();
  features.forEach((f, index) => {
    if (!f) return;
    const lines = linesOf(f);
    const at = ['features', index, 'geometry', 'coordinates'];
    const count = lines.reduce((n, l) => n + l.length, 0);
    if (count > ROAD_LAYER_LIMITS.maxPositionsPerFeature) {
      issues.push({ path: at, message: `这条道路的坐标点过多（${count} 个，每条最多 ${ROAD_LAYER_LIMITS.maxPositionsPerFeature} 个），请简化线形后上传` });
    }
    if (lines.every((l) => l.every(([x, y]) => x === l[0]![0] && y === l[0]![1]))) {
      issues.push({ path: at, message: '线的长度为零：所有坐标点都相同' });
    }
    // A line drawn the other way round is the same road.
    const forward = JSON.stringify(lines);
    const backward = JSON.stringify(lines.map((l) => [...l].reverse()).reverse());
    const key = forward < backward ? forward : backward;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      const other = features[earlier]!.properties.name;
      issues.push({ path: ['features', index, 'geometry'], message: `与 features[${earlier}]「${other}」的线形完全相同（重复的道路）` });
    } else seen.set(key, index);
  });
  return issues;
}

/** The place the issue is about, or its nearest ancestor present in the file (a missing `name` → its `properties`). */
function offsetOf(root: Node, path: (string | number)[]): number {
  for (let n = path.length; n >= 0; n--) {
    const node = findNodeAtLocation(root, path.slice(0, n));
    if (node) return node.offset;
  }
  return 0;
}

// Keyed by name: ParseErrorCode is a const enum, which isolatedModules cannot read.
const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidSymbol: '此处有无效字符',
  InvalidNumberFormat: '数字格式不正确',
  PropertyNameExpected: '此处应为带双引号的属性名（多余的逗号？）',
  ValueExpected: '此处缺少一个值（多余的逗号？）',
  ColonExpected: '缺少冒号 :',
  CommaExpected: '缺少逗号 ,',
  CloseBraceExpected: '缺少右花括号 }',
  CloseBracketExpected: '缺少右方括号 ]',
  EndOfFileExpected: 'JSON 已结束，后面还有多余内容',
  InvalidCommentToken: 'JSON 不允许注释',
  UnexpectedEndOfComment: 'JSON 不允许注释',
  UnexpectedEndOfString: '字符串缺少结束的双引号',
  UnexpectedEndOfNumber: '数字不完整',
  InvalidUnicode: '无效的 \\u 转义',
  InvalidEscapeCharacter: '无效的转义字符',
  InvalidCharacter: '字符串中有无效字符（如未转义的换行）',
};

/** Where JSON.parse failed, located by a parser that reports offsets (V8's message has none for some errors). */
function syntaxIssue(text: string, err: Error): RoadLayerIssue {
  if (text.trim() === '') return { line: 1, path: '', message: '文件是空的' };
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first) return { line: lineLocator(text)(first.offset), path: '', message: SYNTAX_MESSAGES[printParseErrorCode(first.error)] ?? 'JSON 语法错误' };
  // The two parsers disagree only on oddities; fall back to V8's position when it gives one.
  const position = /position (\d+)/.exec(err.message)?.[1];
  return { line: position ? lineLocator(text)(Number(position)) : 1, path: '', message: 'JSON 语法错误' };
}

/** offset → 1-based line, by binary search over the line starts. */
function lineLocator(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}
