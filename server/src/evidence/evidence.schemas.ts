import { z } from 'zod';
import type { ShotKind } from '../../../typings/api/call';

/** Every guided shot kind, checked against the API's type: adding one there fails to compile here. */
const SHOT_KIND_SET: Record<ShotKind, true> = {
  overview_behind: true,
  overview_ahead: true,
  impact_point: true,
  plate: true,
  skid_marks_debris: true,
  driving_licence: true,
  vehicle_licence: true,
  insurance_policy: true,
  other: true,
};
const SHOT_KINDS = Object.keys(SHOT_KIND_SET) as [ShotKind, ...ShotKind[]];

export const EVIDENCE_MIME_TYPES = ['image/jpeg', 'image/png', 'video/mp4'] as const;

export const uploadCreateSchema = z.object({
  uploadKey: z.string().regex(/^[A-Za-z0-9_.:-]{8,128}$/, 'uploadKey 须为 8–128 位字母、数字或 - _ . :'),
  shotRequestId: z.string().min(1).max(100).optional(),
  kind: z.enum([...SHOT_KINDS, 'review_evidence'], { error: '照片类型不正确' }),
  mimeType: z.enum(EVIDENCE_MIME_TYPES, { error: '只能上传 JPG、PNG 图片或 MP4 视频' }),
  size: z.number().int().positive('文件不能为空').max(Number.MAX_SAFE_INTEGER),
});
export type UploadCreateInput = z.infer<typeof uploadCreateSchema>;

const sha256Schema = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, 'SHA-256 应为 64 位十六进制')
  .transform((hex) => hex.toLowerCase());

/** `{ sha256?, chunks? }`: what the phone says the file is; nothing from an older app. */
export const uploadCompleteSchema = z.object({
  sha256: sha256Schema.optional(),
  chunks: z.array(sha256Schema).max(100_000, '分片太多').optional(),
});
export type UploadCompleteInput = z.infer<typeof uploadCompleteSchema>;

export const chunkIndexSchema = z.coerce.number({ error: '分片序号须为整数' }).int('分片序号须为整数').min(0, '分片序号不能为负数');

/** `?party=A`: whose video the still frame is from (optional). */
export const frameQuerySchema = z.object({ party: z.string().regex(/^[A-Z]$/, '当事方应为 A、B、C').optional() });

/** An upload's id as the server makes it (uploadIdOf): anything else is an upload that does not exist. */
export const uploadIdSchema = z.string().regex(/^[0-9a-f]{32}$/);

export const evidenceIdSchema = z.string().regex(/^[0-9a-f]{24}:[0-9]{6}$/, '证据编号不正确');
