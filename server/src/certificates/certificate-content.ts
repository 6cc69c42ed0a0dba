import { z } from 'zod';

/**
 * Everything a 道路交通事故认定书（简易程序） prints, as its issuer hands it over. This module knows no
 * case: the caller (the decision desk) gathers the content, masks the personal numbers and allocates
 * the certificate number; the content is signed exactly as given (after this schema's checks).
 */
export const CERTIFICATE_NUMBER = /^[A-Z0-9]+(?:-[A-Z0-9]+){1,5}$/;
export const certificateNumberSchema = z.string().max(40).regex(CERTIFICATE_NUMBER, '认定书编号格式不正确');

export const LIABILITY_GRADES = ['full', 'main', 'equal', 'minor', 'none'] as const;
export const DAMAGES_CHOICES = ['self_settle', 'insurance', 'mediation'] as const;
export type LiabilityGrade = (typeof LIABILITY_GRADES)[number];
export type DamagesChoice = (typeof DAMAGES_CHOICES)[number];

/** The grades of §60 of 《道路交通事故处理程序规定》 as the certificate words them. */
export const LIABILITY_WORDS: Record<LiabilityGrade, string> = {
  full: '全部责任',
  main: '主要责任',
  equal: '同等责任',
  minor: '次要责任',
  none: '无责任',
};

export const DAMAGES_WORDS: Record<DamagesChoice, string> = {
  self_settle: '自行协商',
  insurance: '保险理赔',
  mediation: '申请调解',
};

const text = (max: number) => z.string().trim().min(1).max(max);
const isoTime = z.iso.datetime({ offset: true });
// The caller masks personal numbers; a whole ID number or phone number must never reach a printed page.
const masked = (max: number, what: string) =>
  text(max).refine((v) => !/\d{11,}/.test(v), `${what}须打码后再打印`);

const partySchema = z.object({
  label: z.string().regex(/^[A-Z]$/, '当事人代号应为一个大写字母'),
  name: text(40),
  idNumberMasked: masked(40, '身份证号码'),
  licenceNoMasked: masked(40, '驾驶证号').nullable(),
  phoneMasked: masked(20, '联系电话'),
  vehicleType: text(40),
  plate: text(20),
  insurer: text(60).nullable(),
  policyNo: text(60).nullable(),
  impactPoints: z.array(text(30)).max(12),
  liability: z.enum(LIABILITY_GRADES),
  basis: text(400),
  damages: z.enum(DAMAGES_CHOICES),
});

export const certificateContentSchema = z.object({
  number: certificateNumberSchema,
  issuedAt: isoTime,
  unit: z.object({ name: text(60), code: text(20) }),
  officer: z.object({ name: text(40), number: text(20) }),
  accident: z.object({ occurredAt: isoTime, place: text(120), weather: text(20), type: text(30), facts: text(1500) }),
  parties: z
    .array(partySchema)
    .min(1)
    .max(6)
    .refine((parties) => new Set(parties.map((p) => p.label)).size === parties.length, '当事人代号不能重复'),
  evidenceHeadHash: z.string().regex(/^[0-9a-f]{64}$/, '证据链头哈希应为 64 位十六进制'),
  reviewNotice: text(400),
  supersedes: certificateNumberSchema.nullable(),
});

export type CertificateContent = z.infer<typeof certificateContentSchema>;
export type CertificateParty = CertificateContent['parties'][number];

/**
 * The 复核 notice of §71–72: within three days of delivery, in writing, to the traffic-police authority
 * one level up (for a brigade, the city 支队).
 */
export function defaultReviewNotice(authorityAbove = '上一级公安机关交通管理部门'): string {
  return (
    `当事人对本认定有异议的，可以自本认定书送达之日起三日内，向${authorityAbove}提出书面复核申请，` +
    '写明复核请求、理由和主要证据。同一事故的复核以一次为限。'
  );
}
