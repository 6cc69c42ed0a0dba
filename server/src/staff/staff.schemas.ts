import { z } from 'zod';
import { freeText } from '../platform/free-text';

/**
 * Dispatchers and officers work a brigade's queue, so they belong to one. A reviewer without a brigade
 * is the city 支队's desk (sees every brigade's reviews); ops see everything either way.
 */
export const needsBrigade = (role: string): boolean => role === 'dispatcher' || role === 'officer';
export const NEEDS_BRIGADE_MESSAGE = '接警员和民警必须属于一个大队';

export const createStaffSchema = z
  .object({
    username: z.string().trim().toLowerCase().regex(/^[a-z0-9._-]{3,32}$/, '用户名为 3–32 位小写字母、数字或 . _ -'),
    displayName: freeText(32, { min: 1, minMessage: '请填写姓名' }),
    role: z.enum(['dispatcher', 'officer', 'reviewer', 'ops']),
    brigadeCode: z.string().trim().min(1).max(32).nullish(),
    password: z.string().min(12, '密码至少 12 位').max(256),
  })
  .refine((s) => !needsBrigade(s.role) || !!s.brigadeCode, { path: ['brigadeCode'], message: NEEDS_BRIGADE_MESSAGE });

/** Ops change an account: rename it, change its role, move it to another brigade, disable or re-enable it. */
export const updateStaffSchema = z
  .object({
    displayName: freeText(32, { min: 1, minMessage: '请填写姓名' }).optional(),
    role: z.enum(['dispatcher', 'officer', 'reviewer', 'ops']).optional(),
    brigadeCode: z.string().trim().min(1).max(32).nullable().optional(),
    disabled: z.boolean().optional(),
  })
  .refine((u) => Object.keys(u).length > 0, { message: '没有要修改的内容' });
