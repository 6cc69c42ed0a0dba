import { Schema, Types, model, type InferSchemaType } from 'mongoose';

/**
 * One small row per case with just what the statistics page counts (a projection of `cases`, like
 * open_cases): keyed by the case's _id, replaced whole from a snapshot, never counted into, so a
 * repeated or late write is harmless. It can always be rebuilt from the cases (stats-reconcile.ts).
 * The calendar keys are Beijing's, computed once here rather than on every read.
 */
const caseStatSchema = new Schema(
  {
    _id: { type: Types.ObjectId, required: true },
    /** The case's rev this row was made from: an older row never overwrites a newer one. */
    rev: { type: Number, required: true },
    brigadeCode: { type: String, default: null },
    districtAdcode: { type: String, default: null },
    districtName: { type: String, default: '' },
    reportedAt: { type: Date, required: true },
    /** 'YYYY-MM-DD', 0–23, 1–7 (ISO, Monday first), 'YYYY-Www' (ISO week), all Beijing. */
    day: { type: String, required: true },
    hour: { type: Number, required: true },
    weekday: { type: Number, required: true },
    isoWeek: { type: String, required: true },
    /** released | redirected | refused | cancelled | abandoned | open (StatisticsOutcomes). */
    outcome: { type: String, required: true },
    /** On a call now (in_call, collecting): its 5-minute clock is still running. */
    onCall: { type: Boolean, required: true },
    /** The dispatcher's reason (redirected) or the first rule's code (refused). */
    reason: { type: String, default: null },
    /** Report → answer, whole seconds, when answered (and not handed back since). */
    waitSeconds: { type: Number, default: null },
    /** Answer → release, as the case stores it. */
    handlingSeconds: { type: Number, default: null },
    decided: { type: Boolean, required: true },
    delivered: { type: Boolean, required: true },
    reviewStatus: { type: String, default: null },
    /** `[{ insurerCode, insurerName, status }]`: the case's hand-offs to insurers. */
    handoffs: { type: Schema.Types.Mixed, default: [] },
  },
  { versionKey: false, collection: 'case_stats' },
);
// A day's rows of one brigade: what a day pack is rebuilt from (two equalities, both pushed down).
caseStatSchema.index({ day: 1, brigadeCode: 1 });

export type CaseStatRecord = InferSchemaType<typeof caseStatSchema> & { _id: Types.ObjectId };
export const CaseStat = model('CaseStat', caseStatSchema);

/**
 * A brigade's day of rows, packed: `rows` is one JSON string of compact tuples (case-stats.ts packs
 * and unpacks them). The page reads these — a year is ~2 500 small documents instead of ~45 000 rows
 * or cases (see index.ts for the measurements) — and rebuilds none of them on a read.
 */
const caseStatDaySchema = new Schema(
  {
    /** `<brigade or ->:<YYYY-MM-DD>`. */
    _id: { type: String, required: true },
    brigadeCode: { type: String, default: null },
    day: { type: String, required: true },
    /** 'YYYY-MM': the page reads one month per query (an equality, which FerretDB pushes down). */
    month: { type: String, required: true },
    count: { type: Number, required: true },
    rows: { type: String, required: true },
  },
  { versionKey: false, collection: 'case_stat_days' },
);
caseStatDaySchema.index({ month: 1, brigadeCode: 1 });
export const CaseStatDay = model('CaseStatDay', caseStatDaySchema);

/**
 * How far the rows are known to follow the cases: every case changed before `syncedThrough` has its
 * row (the reconcile moves it on); the duty log is summed through `dutyThrough`. `version` is the row
 * shape they were built with.
 */
const statsStateSchema = new Schema(
  {
    _id: { type: String, required: true },
    version: { type: Number, required: true },
    syncedThrough: { type: Date, required: true },
    /** The last Beijing day whose duty hours are summed (duty-days.ts). */
    dutyThrough: { type: String, default: null },
  },
  { versionKey: false, collection: 'statistics_state' },
);
export const StatsState = model('StatsState', statsStateSchema);
