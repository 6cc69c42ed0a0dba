import { z } from 'zod';
import { DISTRICTS } from './districts';
import { freeText } from '../platform/free-text';

const knownAdcodes = new Set(DISTRICTS.map((d) => d.adcode));

export const brigadeCodeSchema = z.string().regex(/^[A-Z][A-Z0-9-]{1,31}$/, '大队编码为大写字母、数字和 -，如 JM-PJ');

export const saveBrigadeSchema = z.object({
  name: freeText(50, { min: 2 }),
  districtAdcodes: z
    .array(z.string().refine((a) => knownAdcodes.has(a), { message: '不是江门市的区县行政区划代码' }))
    .max(DISTRICTS.length)
    .refine((list) => new Set(list).size === list.length, { message: '区县重复' }),
  dutyPhone: z.string().regex(/^[0-9-]{3,20}$/, '值班电话格式不正确').nullable(),
});

export const createBrigadeSchema = saveBrigadeSchema.extend({ code: brigadeCodeSchema });
