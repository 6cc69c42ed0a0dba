import { z } from 'zod';
import { freeText } from '../platform/free-text';

export const reviewApplicationSchema = z.object({
  request: freeText(200, { min: 2, minMessage: '请写明复核请求' }),
  reasons: freeText(2000, { min: 5, minMessage: '请写明复核理由' }),
  evidenceIds: z.array(z.string().regex(/^[0-9a-f]{24}:[0-9]{6}$/, '证据编号不正确')).max(6, '最多附 6 张照片').default([]),
});

export const reviewAcceptSchema = z
  .object({ accept: z.boolean(), reason: freeText(500, { min: 2 }).nullable() })
  .refine((v) => v.accept || !!v.reason, { message: '不予受理须写明理由', path: ['reason'] });

export const reviewConclusionSchema = z.object({
  conclusion: z.enum(['upheld', 'redone']),
  reason: freeText(1000, { min: 5, minMessage: '请写明复核结论的理由' }),
});
