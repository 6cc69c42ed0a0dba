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
