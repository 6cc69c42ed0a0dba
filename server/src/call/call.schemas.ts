import { z } from 'zod';
import { freeText } from '../platform/free-text';
import { SHOT_KINDS } from './shot-checklist';

const partyLabel = z.enum(['A', 'B', 'C'], { error: '当事方应为 A、B 或 C' });
/** A party's label in a path (`/parties/:label`): documents it; the case itself says which labels it has. */
export const partyLabelSchema = partyLabel;
/** Formatted values (licence, policy numbers): checked by pattern, never masked. */
const text = (max: number) => z.string().trim().max(max);

/** Each field: a value to set, null to clear it, or absent to leave it. Typed-in words go through freeText (ID and card numbers masked). */
export const partyInfoUpdateSchema = z.object({
  driverName: freeText(32, { min: 1 }).nullable().optional(),
  licenceNo: text(32).regex(/^[0-9A-Z]{6,20}$/i, '驾驶证号格式不正确').nullable().optional(),
  plateType: z.string().regex(/^\d{2}$/, '号牌种类为两位数字，如 02（小型汽车）').nullable().optional(),
  vehicleType: freeText(32, { min: 1 }).nullable().optional(),
  insurer: freeText(64, { min: 1 }).nullable().optional(),
  policyNo: text(64).regex(/^[0-9A-Za-z-]{6,64}$/, '保单号格式不正确').nullable().optional(),
  phone: z.string().regex(/^1\d{10}$/, '手机号格式不正确').nullable().optional(),
  confirm: z.boolean().optional(),
});

export const factsSchema = z.object({
  occurredAt: z.iso.datetime({ offset: true }).nullable().optional(),
  place: freeText(200).nullable().optional(),
  // Partial: a two-vehicle case has no C (zod 4's record over an enum would demand every key).
  directions: z.partialRecord(partyLabel, freeText(100)).optional(),
  impactPoints: z.partialRecord(partyLabel, freeText(100)).optional(),
  summary: freeText(1000).nullable().optional(),
});

export const shotRequestSchema = z.object({
  party: partyLabel,
  kind: z.enum(SHOT_KINDS as [string, ...string[]]),
  note: freeText(200).optional(),
});

export const chatSchema = z.object({ text: freeText(500, { min: 1, minMessage: '请输入消息内容' }) });

export const checksSchema = z.object({ party: partyLabel });

export const redirectSchema = z.object({
  reason: freeText(200, { min: 2, minMessage: '请写明不适用快处的原因' }),
  alternatives: z.array(z.enum(['call_122', 'photo_quick_handling', 'self_settlement', 'officer_on_scene'])).min(1, '请至少选一种处理方式'),
});

export const sinceSchema = z.object({ since: z.coerce.number().int().min(0).optional() });
