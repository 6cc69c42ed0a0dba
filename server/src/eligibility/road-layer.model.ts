import { Schema, model } from 'mongoose';

/**
 * The excluded-road layer, one document per version: an upload inserts version n+1 under a unique
 * index, so two concurrent uploads cannot both become "the" layer (FerretDB v1 has no atomic
 * conditional update; a unique insert is what both engines settle races with), and every past layer
 * is kept for the audit trail. Version 0 is the shipped demo file and is never stored.
 */
/**
 * A road's lines with positions flattened to [lng0, lat0, lng1, lat1, …]: FerretDB v1 refuses nested
 * arrays, so GeoJSON coordinates cannot be stored as they come.
 */
const lineSchema = new Schema({ coords: { type: [Number], required: true } }, { _id: false });
const roadSchema = new Schema(
  {
    name: { type: String, required: true },
    class: { type: String, required: true },
    geometryType: { type: String, enum: ['LineString', 'MultiLineString'], required: true },
    lines: { type: [lineSchema], required: true },
  },
  { _id: false },
);

const roadLayerSchema = new Schema(
  {
    version: { type: Number, required: true, unique: true },
    features: { type: [roadSchema], required: true },
    featureCount: { type: Number, required: true },
    positionCount: { type: Number, required: true },
    roadNames: { type: [String], default: [] },
    illustrative: { type: Boolean, required: true },
    note: { type: String, default: null },
    uploadedAt: { type: Date, required: true },
    /** Staff id (the audit entry has the same), and the username ops see in the summary. */
    uploadedById: { type: String, required: true },
    uploadedBy: { type: String, required: true },
    sizeBytes: { type: Number, required: true },
    sha256: { type: String, required: true },
  },
  { versionKey: false, collection: 'road_layers' },
);

export const RoadLayerVersion = model('RoadLayerVersion', roadLayerSchema);
