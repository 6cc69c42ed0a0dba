import { z } from 'zod';

export const saveProfileSchema = z.object({
  name: z
    .string({ error: '请填写姓名' })
    .trim()
    .regex(/^[\u4e00-\u9fa5·]{2,20}$/, '请填写身份证上的中文姓名'),
  idNumber: z.string({ error: '请填写身份证号' }).trim().min(1, '请填写身份证号').max(32, '身份证号应为 18 位'),
  phone: z
    .string({ error: '请填写手机号' })
    .trim()
    .regex(/^1[3-9]\d{9}$/, '请填写 11 位手机号'),
  agreementVersion: z.string().min(1).max(32),
  agreementAccepted: z.literal(true, { error: '请先阅读并同意用户协议' }),
  entry: z.enum(['new_user', 'existing_user']).default('new_user'),
  idValidity: z
    .object({
      start: z.string({ error: '请填写有效期起始日期' }),
      end: z.string().nullable(),
    })
    .optional(),
}).refine((p) => p.entry !== 'existing_user' || p.idValidity, { path: ['idValidity'], message: '请填写身份证有效期限（证件背面）' });

export const faceCompleteSchema = z.object({
  verifyId: z.string({ error: '缺少 verifyId' }).min(1, '缺少 verifyId').max(256),
});

export const smsSendSchema = z
  .object({
    plate: z.string().trim().regex(/^[\u4e00-\u9fa5][A-Z][A-Z0-9]{5,6}$/, '请填写正确的车牌号，如 粤J12345').optional(),
    /** GA 24.7 号牌种类; most drivers have a small car ("02"), so that is assumed when only a plate is given. */
    plateType: z.string().regex(/^\d{2}$/, '号牌种类为两位数字').optional(),
  })
  .transform((r) => (r.plate ? { plate: r.plate, plateType: r.plateType ?? '02' } : {}));

export const thirdPartySchema = z.object({
  authCode: z.string({ error: '缺少授权码' }).min(1, '缺少授权码').max(512),
});

export const smsVerifySchema = z.object({
  code: z.string({ error: '请输入验证码' }).regex(/^\d{6}$/, '验证码为 6 位数字'),
});
