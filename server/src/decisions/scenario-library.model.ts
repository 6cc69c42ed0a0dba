import { Schema, model } from 'mongoose';

const scenarioSchema = new Schema(
  {
    code: { type: String, required: true },
    title: { type: String, required: true },
    description: { type: String, required: true },
    basis: { type: String, required: true },
  },
  { _id: false },
);

/**
 * The scenario library, one document per revision (like the service calendar): an edit inserts
 * revision n+1 (unique), so two ops editing at once cannot overwrite each other, and every decision can
 * name the revision its tags were read from.
 */
const scenarioLibrarySchema = new Schema(
  {
    rev: { type: Number, required: true, unique: true },
    scenarios: { type: [scenarioSchema], required: true },
    changedBy: { type: String, required: true },
    changedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'scenario_libraries' },
);

export const ScenarioLibraryRevision = model('ScenarioLibraryRevision', scenarioLibrarySchema);
