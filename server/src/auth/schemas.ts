import { z } from 'zod';

/** wx.login codes are short opaque strings; anything far outside that is not worth sending to WeChat. */
export const wechatLoginSchema = z.object({
  code: z.string({ error: '缺少登录凭证 code' }).trim().min(1, '缺少登录凭证 code').max(128, '登录凭证 code 格式不正确'),
});

export const refreshSchema = z.object({
  refreshToken: z.string({ error: '缺少 refreshToken' }).min(16, 'refreshToken 格式不正确').max(256, 'refreshToken 格式不正确'),
});

export const staffLoginSchema = z.object({
  username: z
    .string({ error: '请输入用户名' })
    .trim()
    .toLowerCase()
    .min(1, '请输入用户名')
    .max(64, '用户名过长')
    // No account name has one, and the lock stores the name as typed: the engine refuses a NUL (was a 500).
    .regex(/^[^\u0000-\u001f\u007f]*$/, '用户名格式不正确'),
  password: z.string({ error: '请输入密码' }).min(1, '请输入密码').max(256, '密码过长'),
});
