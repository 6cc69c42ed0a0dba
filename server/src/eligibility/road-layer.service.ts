import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RoadLayerSummary } from '../../../typings/api/roads';
import { isDuplicateKey } from '../platform/database';
import { conflict } from '../platform/errors';
import { REPO_ROOT } from '../platform/paths';
import { buildRoadIndex, type RoadIndex } from './road-index';
import { parseRoadLayer, type RoadClass, type RoadFeature, type RoadLayer } from './road-layer';
import { RoadLayerVersion } from './road-layer.model';

export const DEMO_ROAD_LAYER_PATH = join(REPO_ROOT, 'server/data/demo-road-layer.geojson');
/** Same as the ROAD_BUFFER_M default in config/case-rules.ts, for callers that do not pass theirs. */
export const DEFAULT_ROAD_BUFFER_M = 30;
/**
 * How stale this instance's layer may be. Each instance re-reads the newest version number (one
 * indexed query on the unique `version`, projection only) at most this often, not per check: the
 * eligibility check stays free of an extra round trip, and a layer uploaded through another instance
 * is in force everywhere within this time. The instance that took the upload switches at once.
 */
export const ROAD_LAYER_RECHECK_MS = 2_000;

type LayerSummary = Omit<RoadLayerSummary, 'bufferM'>;
interface CacheEntry {
  version: number;
  index: RoadIndex;
  /** The roads themselves, for the ops map (the index answers the rule). */
  features: readonly RoadFeature[];
  summary: LayerSummary;
  checkedAt: number;
}

let cached: CacheEntry | null = null;
let refreshing: Promise<CacheEntry> | null = null;

/**
 * The layer in force as a spatial index, with its summary. Pass `config.ROAD_BUFFER_M` for the
 * summary to report it; `maxAgeMs: 0` forces a look at the database (the ops screen wants the truth).
 */
export async function currentRoadIndex(options: { bufferM?: number; maxAgeMs?: number } = {}): Promise<{ index: RoadIndex; summary: RoadLayerSummary }> {
  const maxAge = options.maxAgeMs ?? ROAD_LAYER_RECHECK_MS;
  const entry = cached && Date.now() - cached.checkedAt < maxAge ? cached : await refresh();
  return { index: entry.index, summary: { ...entry.summary, bufferM: options.bufferM ?? DEFAULT_ROAD_BUFFER_M } };
}

/** The layer in force with its roads, fresh from the database (the ops map). */
export async function currentRoadLayer(bufferM: number = DEFAULT_ROAD_BUFFER_M): Promise<{ features: readonly RoadFeature[]; index: RoadIndex; summary: RoadLayerSummary }> {
  const entry = await refresh();
  return { features: entry.features, index: entry.index, summary: { ...entry.summary, bufferM } };
}

/** Concurrent callers share one refresh, so a burst of checks after expiry costs one query. */
function refresh(): Promise<CacheEntry> {
  refreshing ??= (async () => {
    const startedAt = Date.now();
    const latest = await RoadLayerVersion.findOne({}, { version: 1 }).sort({ version: -1 }).lean();
    const version = latest?.version ?? 0;
    if (cached && cached.version === version) {
      cached.checkedAt = startedAt;
      return cached;
    }
    const entry = version === 0 ? demoEntry(startedAt) : await storedEntry(version, startedAt);
    // An upload on this instance may have installed a newer version while we were reading.
    if (!cached || !(cached.version > entry.version && cached.checkedAt >= startedAt)) cached = entry;
    return cached;
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

let demoLayer: RoadLayer | null = null;
/** The shipped demo layer (version 0), validated like an upload: a broken file fails loudly, not quietly. */
export function demoRoadLayer(): RoadLayer {
  if (!demoLayer) {
    const parsed = parseRoadLayer(readFileSync(DEMO_ROAD_LAYER_PATH, 'utf8'));
    if (!parsed.ok) throw new Error(`${DEMO_ROAD_LAYER_PATH}: ${parsed.message}`);
    demoLayer = parsed.layer;
  }
  return demoLayer;
}

function demoEntry(checkedAt: number): CacheEntry {
  const layer = demoRoadLayer();
  return {
    version: 0,
    index: buildRoadIndex(layer),
    features: layer.features,
    summary: { version: 0, featureCount: layer.features.length, roadNames: roadNames(layer.features), illustrative: layer.illustrative, uploadedAt: null, uploadedBy: null },
    checkedAt,
  };
}

async function storedEntry(version: number, checkedAt: number): Promise<CacheEntry> {
  const doc = await RoadLayerVersion.findOne({ version }).lean();
  if (!doc) throw new Error(`road layer version ${version} vanished while loading`);
  const features = doc.features.map((f) => fromStored(f as StoredRoad));
  return {
    version,
    index: buildRoadIndex({ features }),
    features,
    summary: {
      version,
      featureCount: doc.featureCount,
      roadNames: doc.roadNames,
      illustrative: doc.illustrative,
      uploadedAt: doc.uploadedAt.toISOString(),
      uploadedBy: doc.uploadedBy,
    },
    checkedAt,
  };
}

/**
 * Stores an uploaded (already validated) layer as the next version and puts it in force on this
 * instance at once. Two uploads racing for the same version: the unique index lets one in, the other
 * gets 409 and sees the winner before deciding whether to upload again.
 */
export async function saveRoadLayer(
  layer: RoadLayer,
  upload: { text: string; positionCount: number; by: { id: string; username: string } },
  bufferM: number = DEFAULT_ROAD_BUFFER_M,
): Promise<{ summary: RoadLayerSummary; replacedVersion: number }> {
  const latest = await RoadLayerVersion.findOne({}, { version: 1 }).sort({ version: -1 }).lean();
  const replacedVersion = latest?.version ?? 0;
  const version = replacedVersion + 1;
  const names = roadNames(layer.features);
  const uploadedAt = new Date();
  try {
    await RoadLayerVersion.create({
      version,
      features: layer.features.map(toStored),
      featureCount: layer.features.length,
      positionCount: upload.positionCount,
      roadNames: names,
      illustrative: layer.illustrative,
      note: layer.note,
      uploadedAt,
      uploadedById: upload.by.id,
      uploadedBy: upload.by.username,
      sizeBytes: Buffer.byteLength(upload.text, 'utf8'),
      sha256: createHash('sha256').update(upload.text).digest('hex'),
    });
  } catch (err) {
    if (isDuplicateKey(err)) throw conflict('路网图层刚被他人更新，请刷新查看后再决定是否重新上传');
    throw err;
  }
  const summary: LayerSummary = { version, featureCount: layer.features.length, roadNames: names, illustrative: layer.illustrative, uploadedAt: uploadedAt.toISOString(), uploadedBy: upload.by.username };
  if (!cached || cached.version < version) cached = { version, index: buildRoadIndex(layer), features: layer.features, summary, checkedAt: Date.now() };
  return { summary: { ...summary, bufferM }, replacedVersion };
}

/** Distinct names in upload order: a quick check of what is in force. */
function roadNames(features: readonly RoadFeature[]): string[] {
  return [...new Set(features.map((f) => f.properties.name))];
}

interface StoredRoad {
  name: string;
  class: RoadClass;
  geometryType: 'LineString' | 'MultiLineString';
  lines: { coords: number[] }[];
}

/** Flat [lng, lat, lng, lat, …] per line: see road-layer.model.ts. */
function toStored(feature: RoadFeature): StoredRoad {
  const { geometry } = feature;
  const lines = geometry.type === 'LineString' ? [geometry.coordinates] : geometry.coordinates;
  return { name: feature.properties.name, class: feature.properties.class, geometryType: geometry.type, lines: lines.map((line) => ({ coords: line.flatMap(([lng, lat]) => [lng!, lat!]) })) };
}

function fromStored(road: StoredRoad): RoadFeature {
  const lines = road.lines.map(({ coords }) => Array.from({ length: coords.length / 2 }, (_, i) => [coords[2 * i]!, coords[2 * i + 1]!]));
  return {
    type: 'Feature',
    properties: { name: road.name, class: road.class },
    geometry: road.geometryType === 'LineString' ? { type: 'LineString', coordinates: lines[0]! } : { type: 'MultiLineString', coordinates: lines },
  };
}
