import { Schema, model } from 'mongoose';

/**
 * The service calendar, one document per revision: a change inserts revision n+1 (unique), so two
 * ops editing at once cannot silently overwrite each other, and every past calendar is kept.
 */
const exceptionSchema = new Schema(
  {
    date: { type: String, required: true },
    closed: { type: Boolean, required: true },
    opensAt: { type: String, default: null },
    closesAt: { type: String, default: null },
    reason: { type: String, required: true },
  },
  { _id: false },
);

/** A public holiday or a make-up working day (see CalendarHoliday in typings/api/eligibility.ts). */
const holidaySchema = new Schema(
  {
    date: { type: String, required: true },
    kind: { type: String, enum: ['holiday', 'makeup_workday'], required: true },
    name: { type: String, required: true },
  },
  { _id: false },
);

const serviceCalendarSchema = new Schema(
  {
    rev: { type: Number, required: true, unique: true },
    opensAt: { type: String, required: true },
    closesAt: { type: String, required: true },
    trialStartsOn: { type: String, required: true },
    launchOn: { type: String, required: true },
    exceptions: { type: [exceptionSchema], default: [] },
    // No default: a revision stored before holidays existed has none, and reads as the shipped schedule.
    holidays: { type: [holidaySchema], default: undefined },
    changedBy: { type: String, required: true },
    changedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'service_calendars' },
);
export const ServiceCalendarRevision = model('ServiceCalendarRevision', serviceCalendarSchema);

/** An immediate stop of the service for a brigade or the whole city (brigadeCode null). */
const suspensionSchema = new Schema(
  {
    brigadeCode: { type: String, default: null },
    reason: { type: String, required: true },
    since: { type: Date, required: true },
    until: { type: Date, default: null },
    createdBy: { type: String, required: true },
    liftedAt: { type: Date, default: null },
    liftedBy: { type: String, default: null },
  },
  { versionKey: false, collection: 'service_suspensions' },
);
suspensionSchema.index({ liftedAt: 1, since: 1 });
export const ServiceSuspension = model('ServiceSuspension', suspensionSchema);
