import { z } from 'zod';
import { freeText } from '../platform/free-text';

const grade = z.enum(['full', 'main', 'equal', 'minor', 'none']);
const label = z.string().regex(/^[A-C]$/, '当事方为 A、B 或 C');

export const scenarioCodeSchema = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, '情形编码为小写字母、数字和下划线');

export const scenarioTagsSchema = z.object({
  party: label,
  scenarioCodes: z.array(scenarioCodeSchema).max(10).refine((codes) => new Set(codes).size === codes.length, { message: '情形重复' }),
});

export const decideSchema = z.object({
  parties: z
    .array(z.object({ label, liability: grade, basis: freeText(300), damages: z.enum(['self_settle', 'insurance', 'mediation']) }))
    .min(2)
    .max(3),
  reason: freeText(500, { min: 2 }).nullable(),
  weather: freeText(20, { min: 1 }),
  accidentType: freeText(20, { min: 1 }),
  facts: freeText(1000, { min: 5 }),
});

export const scenarioLibrarySchema = z.object({
  baseRev: z.number().int().min(0),
  scenarios: z
    .array(z.object({ code: scenarioCodeSchema, title: freeText(30, { min: 2 }), description: freeText(200, { min: 2 }), basis: freeText(200, { min: 4 }) }))
    .min(1)
    .max(100)
    .refine((list) => new Set(list.map((s) => s.code)).size === list.length, { message: '情形编码重复' }),
});
