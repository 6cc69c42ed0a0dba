import { z } from 'zod';

/** A GCJ-02/WGS-84 fix as wx.getLocation reports it. Kept loose on the box: place.ts says "outside". */
export const locationSchema = z.object({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  coordType: z.enum(['gcj02', 'wgs84']),
  accuracyM: z.number().min(0).max(100_000),
  confirmedOnMap: z.boolean().optional(),
});

export const caseAnswersSchema = z.object({
  vehicleCount: z.number().int().min(1).max(20),
  motorVehiclesOnly: z.boolean(),
  anyoneInjured: z.boolean(),
  vehiclesDrivable: z.boolean(),
  factsDisputed: z.boolean(),
  unlicensedDriving: z.boolean(),
  drinkOrDrugs: z.boolean(),
  anyoneLeftScene: z.boolean(),
});

export const eligibilityRequestSchema = z.object({ location: locationSchema, answers: caseAnswersSchema });

export const safetyCheckSchema = z.object({
  hazardLightsOn: z.literal(true, { error: '请先开启危险报警闪光灯' }),
  warningTrianglePlaced: z.literal(true, { error: '请在车后 50–100 米处放置警告标志' }),
  peopleInSafePlace: z.literal(true, { error: '请所有人员先撤离到路边安全地带' }),
});

/** Ops' map click: a point as the phones send it (GCJ-02 unless said otherwise). */
export const probeSchema = z.strictObject({
  lat: z.number({ error: '纬度必须是数字' }).min(-90, '纬度超出范围').max(90, '纬度超出范围'),
  lng: z.number({ error: '经度必须是数字' }).min(-180, '经度超出范围').max(180, '经度超出范围'),
  coordType: z.enum(['gcj02', 'wgs84'], { error: 'coordType 只能是 gcj02 或 wgs84' }).default('gcj02'),
});
