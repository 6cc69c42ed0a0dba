import { z } from 'zod';
import { HOURS_PER_WEEK } from './week-hours';

export const MAX_ROSTERED = 50;

const brigadeCode = z.string().regex(/^[A-Z][A-Z0-9-]{1,31}$/, '大队编码为大写字母、数字和 -，如 JM-PJ');

export const rosterParamsSchema = z.object({ brigadeCode });

export const saveRosterSchema = z.object({
  basedOnRev: z.number().int().min(0),
  dispatchers: z
    .array(z.number().int('人数须为整数').min(0, '人数不能为负').max(MAX_ROSTERED, `每小时最多 ${MAX_ROSTERED} 人`))
    .length(HOURS_PER_WEEK, `须为一周 ${HOURS_PER_WEEK} 个小时的人数`),
});

/** Query strings arrive as text: numbers are coerced, and absent ones take the configured defaults. */
export const staffingQuerySchema = z.object({
  brigade: brigadeCode,
  weeks: z.coerce.number().int().min(1).max(52).optional(),
  target: z.coerce.number().gt(0, '目标比例须大于 0').lt(1, '目标比例须小于 1').optional(),
  withinSeconds: z.coerce.number().int().min(0).max(3600).optional(),
});
