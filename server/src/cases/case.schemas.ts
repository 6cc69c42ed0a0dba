import { z } from 'zod';
import { caseAnswersSchema, locationSchema } from '../eligibility';
import { freeText } from '../platform/free-text';

/** Separators people type between a plate's characters (dropped before the plate is checked). */
const SEP = '[\\s·•.-]*';
/** A plate as typed (separators anywhere, either case): checked first, so the published contract can state it. */
const PLATE_AS_TYPED = new RegExp(`^${SEP}[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领]${SEP}[A-Za-z]${SEP}(?:[A-HJ-NP-Za-hj-np-z0-9]${SEP}){4,5}[A-HJ-NP-Za-hj-np-z0-9挂学警港澳]${SEP}$`);

/**
 * A Chinese plate: province abbreviation, issuing-office letter, then 5 characters (6 for new-energy
 * vehicles); 警/学/挂/港/澳 endings allowed. Spaces and the middle dot people type are dropped.
 */
export const plateSchema = z
  .string()
  .regex(PLATE_AS_TYPED, '车牌号格式不正确，例如 粤J12345')
  .transform((s) => s.replace(/[\s·•.-]/g, '').toUpperCase())
  .pipe(z.string().regex(/^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领][A-Z][A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学警港澳]$/, '车牌号格式不正确，例如 粤J12345'));

export const objectIdSchema = z.string().regex(/^[0-9a-f]{24}$/, '案件编号不正确');

export const createCaseSchema = z.object({
  safetyCheckId: z.string().min(1, '缺少安全确认').max(64),
  location: locationSchema,
  answers: caseAnswersSchema,
  plate: plateSchema,
});

/** A client-chosen key per report attempt (a UUID is fine). */
export const idempotencyKeySchema = z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, 'Idempotency-Key 须为 8–100 位字母、数字、- 或 _');

/**
 * Joining takes the code (or its QR content) from a party's phone and nothing else: a case id and a
 * location are not proof of being at that accident, so they are not accepted (unknown keys are dropped).
 */
export const joinCaseSchema = z.object({
  code: z.string({ error: '请输入对方手机上显示的 6 位案件码（或扫码）' }).trim().min(1, '请输入对方手机上显示的 6 位案件码（或扫码）').max(200),
  plate: plateSchema,
  factsConfirmed: z.literal(true, { error: '请确认事故事实' }),
});

export const cancelCaseSchema = z.object({ reason: freeText(200).optional() });
