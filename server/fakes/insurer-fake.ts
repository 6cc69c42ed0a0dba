import { createHash } from 'node:crypto';
import type Router from '@koa/router';
import type { Context, Next } from 'koa';
import { INSURER_CODE } from '../src/clients/insurer/insurer-client';
import { FakeService } from './fake-service';

export interface IssuedClaim {
  claimNo: string;
  idempotencyKey: string;
  insurerCode: string;
  certificateNumber: string;
  policyNo: string;
  plate: string;
  evidenceCount: number;
  at: Date;
}

const KEY = /^[A-Za-z0-9_-]{8,100}$/;
const HEX64 = /^[0-9a-f]{64}$/;
/** The protocol carries a masked phone only; a whole number is refused (the insurer must not get it). */
const MASKED_PHONE = /^\d{3}\*{4}\d{4}$/;

/**
 * An insurer's claim intake behind the project's gateway protocol (docs/contracts/insurer.md): checks
 * the request as the contract says, answers a claim number, and honours Idempotency-Key (the same key
 * and body → the same claim, `replayed: true`; the key with another body → 40901).
 */
export class InsurerFake extends FakeService {
  /** Claims issued, one per accepted Idempotency-Key. */
  readonly claims: IssuedClaim[] = [];
  /** Every Idempotency-Key received, in order, including requests a scripted failure answered. */
  readonly keysReceived: string[] = [];
  /** Policies it does not know are accepted while true (demo, fixtures); 40401 otherwise. */
  acceptUnknownPolicies = true;
  private readonly policies = new Map<string, string>();
  private readonly byKey = new Map<string, { hash: string; claimNo: string }>();
  private seq = 0;
  now: () => number = Date.now;

  constructor(private readonly token: string) {
    super('insurer');
  }

  /** A 交强险 policy this insurer holds, for the plate. */
  addPolicy(insurerCode: string, policyNo: string, plate: string): void {
    this.policies.set(`${insurerCode}/${policyNo}`, plate);
  }

  /** The next `times` claims fail as the insurer's system being down would (or with another code). */
  failNextClaims(times = 1, code: number = INSURER_CODE.INSURER_DOWN): void {
    const status = code === INSURER_CODE.RATE_LIMITED ? 429 : code === INSURER_CODE.INSURER_DOWN ? 503 : Math.floor(code / 100);
    this.failNext('claims', { status, body: { code, message: code === INSURER_CODE.INSURER_DOWN ? 'insurer system unavailable' : 'scripted failure' } }, times);
  }

  protected override resetState(): void {
    this.claims.length = 0;
    this.keysReceived.length = 0;
    this.policies.clear();
    this.byKey.clear();
    this.acceptUnknownPolicies = true;
  }

  protected routes(router: Router): void {
    // The key is noted before a scripted answer can replace the real one: tests read what arrived.
    const noteKey = async (ctx: Context, next: Next) => {
      this.keysReceived.push(ctx.get('idempotency-key'));
      await next();
    };
    router.post('/v1/claims', noteKey, this.api('claims', (ctx) => this.claim(ctx)));
  }

  protected override controlRoutes(router: Router): void {
    router.get('/insurer/claims', (ctx) => {
      ctx.body = { claims: this.claims, keysReceived: this.keysReceived };
    });
    router.post('/insurer/policies', (ctx) => {
      const { insurerCode, policyNo, plate } = (ctx.request as { body?: Record<string, unknown> }).body ?? {};
      this.addPolicy(String(insurerCode), String(policyNo), String(plate));
      ctx.body = { ok: true };
    });
  }

  private claim(ctx: Context) {
    const fail = (status: number, code: number, message: string) => {
      ctx.status = status;
      return { code, message };
    };
    if (ctx.get('authorization') !== `Bearer ${this.token}`) return fail(401, INSURER_CODE.UNAUTHORISED, 'unauthorised');
    const key = ctx.get('idempotency-key');
    if (!KEY.test(key)) return fail(400, INSURER_CODE.BAD_REQUEST, 'Idempotency-Key missing or malformed');
    const body = (ctx.request as { body?: Record<string, any> }).body ?? {};
    const problem = this.problemOf(body);
    if (problem) return fail(400, INSURER_CODE.BAD_REQUEST, problem);

    const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
    const seen = this.byKey.get(key);
    if (seen) {
      if (seen.hash !== hash) return fail(409, INSURER_CODE.KEY_REUSED, 'Idempotency-Key already used for a different request');
      return { code: INSURER_CODE.OK, message: 'ok', claimNo: seen.claimNo, replayed: true };
    }
    const { insurerCode, party, certificate, evidence } = body;
    const holder = this.policies.get(`${insurerCode}/${party.policyNo}`);
    if (holder ? holder !== party.plate : !this.acceptUnknownPolicies) return fail(404, INSURER_CODE.UNKNOWN_POLICY, 'no such policy for this plate');

    const day = new Date(this.now() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
    const claimNo = `${insurerCode}${day}${String(++this.seq).padStart(6, '0')}`;
    this.byKey.set(key, { hash, claimNo });
    this.claims.push({
      claimNo,
      idempotencyKey: key,
      insurerCode,
      certificateNumber: certificate.number,
      policyNo: party.policyNo,
      plate: party.plate,
      evidenceCount: evidence.length,
      at: new Date(this.now()),
    });
    return { code: INSURER_CODE.OK, message: 'ok', claimNo, replayed: false };
  }

  /** What is wrong with the request, naming the field, as the contract's 40001 does. */
  private problemOf(body: Record<string, any>): string | null {
    const text = (v: unknown, max = 200) => typeof v === 'string' && v.length > 0 && v.length <= max;
    if (!text(body.insurerCode, 16) || !/^[A-Z]{2,8}$/.test(body.insurerCode)) return 'insurerCode';
    const c = body.certificate;
    if (!c || !text(c.number, 64)) return 'certificate.number';
    if (!text(c.verifyUrl, 500) || !/^https?:\/\//.test(c.verifyUrl)) return 'certificate.verifyUrl';
    if (typeof c.pdfBase64 !== 'string' || !HEX64.test(c.pdfSha256 ?? '')) return 'certificate.pdfBase64';
    const pdf = Buffer.from(c.pdfBase64, 'base64');
    if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') return 'certificate.pdfBase64';
    if (createHash('sha256').update(pdf).digest('hex') !== c.pdfSha256) return 'certificate.pdfSha256';
    if (!Array.isArray(body.evidence) || body.evidence.length > 200) return 'evidence';
    for (const [i, e] of (body.evidence as Record<string, unknown>[]).entries()) {
      if (!e || !text(e.id, 100) || !text(e.kind, 40) || typeof e.sha256 !== 'string' || !HEX64.test(e.sha256)) return `evidence.${i}`;
    }
    const p = body.party;
    if (!p || !text(p.label, 2)) return 'party.label';
    if (!text(p.name, 50)) return 'party.name';
    if (p.phoneMasked !== null && (typeof p.phoneMasked !== 'string' || !MASKED_PHONE.test(p.phoneMasked))) return 'party.phoneMasked';
    if (!text(p.plate, 16)) return 'party.plate';
    if (!text(p.policyNo, 64)) return 'party.policyNo';
    if (typeof body.consentAt !== 'string' || Number.isNaN(Date.parse(body.consentAt))) return 'consentAt';
    return null;
  }
}
