import type { FeatureCollection, LineString, MultiLineString, MultiPolygon, Polygon } from 'geojson';
import type { CaseState } from './cases';
import type { EligibilityRule } from './eligibility';

/** The excluded-road layer ops upload (expressways, 江门大道): what is in force now. */
export interface RoadLayerSummary {
  /** 0: the layer shipped with the project; each upload adds one. */
  version: number;
  featureCount: number;
  /** Distinct road names, for a quick check of what was uploaded. */
  roadNames: string[];
  /** The shipped demo layer is illustrative only (its properties say so); a real one comes from the road authority. */
  illustrative: boolean;
  uploadedAt: string | null;
  uploadedBy: string | null;
  /** How far from an excluded line a point is refused, in metres. */
  bufferM: number;
}

/**
 * One road of an uploaded layer that was refused, with everything wrong with it: a 400
 * INVALID_ROAD_LAYER lists every such road in `featureErrors` (problems of the file as a whole, such
 * as a JSON syntax error, are in `issues` only). Nothing of a refused upload is saved.
 */
export interface RoadLayerFeatureError {
  /** 0-based position in the file's `features` array, as `features[3]` (the issues' paths say `features.3`). */
  index: number;
  /** The road's `properties.name` when it has one, else null. */
  name: string | null;
  /** 1-based line of the uploaded text where this feature starts. */
  line: number;
  /** What is wrong, in plain Chinese, one entry per problem. */
  problems: string[];
}

/**
 * Ops click the map: would a report from this point be accepted now, and which brigade gets it.
 * Coordinates as the drivers' phones send them: GCJ-02 unless `coordType` says WGS-84.
 */
export interface EligibilityProbeRequest {
  lat: number;
  lng: number;
  coordType?: 'gcj02' | 'wgs84';
}

/** One rule's verdict at the point, passed or not, in words. */
export interface ProbeVerdict {
  rule: Exclude<EligibilityRule, 'case'>;
  /** The rule's name: 服务时间, 服务范围（辖区）, 排除道路. */
  title: string;
  ok: boolean;
  /** The rule's code (`OPEN`, `OUTSIDE_AREA`, `ON_EXCLUDED_ROAD`…), the same the driver's check gives. */
  code: string;
  /** The rule's own words, as the driver would read them. */
  reason: string;
  /** What ops want beside it: the time it was judged at, the road's distance against the buffer… */
  detail: string | null;
}

export interface ProbeRoad {
  name: string;
  class: RoadClass;
  /** From the point to the road's centre line. */
  distanceM: number;
}

export interface EligibilityProbeResponse {
  /** A report from here, now, with qualifying answers, would be taken. */
  accepted: boolean;
  /** The place alone would be taken (district and roads pass), whatever the hour. */
  placeAccepted: boolean;
  /** One line: 可以受理，由…处理 / 不予受理：… */
  summary: string;
  /** GCJ-02, after any conversion. */
  lat: number;
  lng: number;
  /** From the reverse geocoder; null when it had none or was down. */
  address: string | null;
  district: { adcode: string; name: string } | null;
  brigade: { code: string; name: string; dutyPhone: string | null } | null;
  nearBorder: boolean;
  convertedFromWgs84: boolean;
  /** hours, place, roads — every one, passed or not. The accident's own answers (vehicles, injuries…) are the driver's, not judged here. */
  verdicts: ProbeVerdict[];
  /** The layer's road that refuses the point (within the buffer). */
  road: ProbeRoad | null;
  /** The nearest excluded road within a few kilometres, refusing or not: how close the point is to the line. */
  nearestRoad: ProbeRoad | null;
  bufferM: number;
  layerVersion: number;
  checkedAt: string;
}

/** The road classes as ops read them. */
export type RoadClass = 'expressway' | 'urban_expressway' | 'excluded_road';

/**
 * The ops map: what the rules see, drawn from the project's own data (GCJ-02 [lng, lat] throughout),
 * simplified to a size a browser draws at once.
 */
export interface RoadLayerPreview {
  layer: RoadLayerSummary;
  /** The district outlines, each with the brigade that answers for it (null when none does). */
  districts: FeatureCollection<Polygon | MultiPolygon, PreviewDistrict>;
  /** The excluded roads of the layer in force. */
  roads: FeatureCollection<LineString | MultiLineString, { name: string; class: RoadClass }>;
  /** Each road widened by the buffer the rule uses (`layer.bufferM`): a report inside is refused. */
  buffers: FeatureCollection<Polygon | MultiPolygon, { name: string; bufferM: number }>;
  cases: RecentCasePoints;
}

export interface PreviewDistrict {
  adcode: string;
  name: string;
  brigadeCode: string | null;
  brigadeName: string | null;
}

/** Cases reported over the last `days` days where they were reported, newest first. */
export interface RecentCasePoints {
  days: number;
  since: string;
  items: PreviewCasePoint[];
  /** More were reported than the map shows (the newest `items.length`). */
  truncated: boolean;
}

export interface PreviewCasePoint {
  caseId: string;
  lat: number;
  lng: number;
  state: CaseState;
  reportedAt: string;
  brigadeCode: string | null;
  brigadeName: string | null;
  districtName: string | null;
}
