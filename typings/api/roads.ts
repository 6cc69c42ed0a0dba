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
