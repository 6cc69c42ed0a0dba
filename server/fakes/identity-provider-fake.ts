import { randomBytes } from 'node:crypto';
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { ProviderPerson } from '../src/clients/identity-provider/identity-provider-client';
import { FakeService } from './fake-service';

const CODE_TTL_MS = 10 * 60 * 1000;

/** The third-party identity provider: OAuth 2.0 code exchange (RFC 6749 errors) and a userinfo endpoint. */
export class IdentityProviderFake extends FakeService {
  private codes = new Map<string, { person: ProviderPerson; issuedAt: number; used: boolean }>();
  private tokens = new Map<string, ProviderPerson>();
  now: () => number = Date.now;

  constructor(
    private readonly clientId: string,
    private readonly clientSecret: string,
  ) {
    super('identity-provider');
  }

  /** What the provider's authorisation page hands back after this person agrees. */
  issueAuthCode(person: ProviderPerson): string {
    const code = randomBytes(12).toString('hex');
    this.codes.set(code, { person, issuedAt: this.now(), used: false });
    return code;
  }

  protected override resetState(): void {
    this.codes.clear();
    this.tokens.clear();
  }

  protected routes(router: Router): void {
    router.post('/v1/oauth/token', this.api('token', (ctx) => this.token(ctx)));
    router.get('/v1/userinfo', this.api('userinfo', (ctx) => this.userinfo(ctx)));
  }

  protected override controlRoutes(router: Router): void {
    router.post('/identity-provider/codes', (ctx) => {
      ctx.body = { code: this.issueAuthCode((ctx.request as { body?: ProviderPerson }).body as ProviderPerson) };
    });
  }

  private token(ctx: Context) {
    const body = (ctx.request as { body?: Record<string, unknown> }).body ?? {};
    const fail = (status: number, error: string, description: string) => {
      ctx.status = status;
      return { error, error_description: description };
    };
    if (body.client_id !== this.clientId || body.client_secret !== this.clientSecret) return fail(401, 'invalid_client', 'client authentication failed');
    if (body.grant_type !== 'authorization_code') return fail(400, 'unsupported_grant_type', 'only authorization_code');
    const issued = typeof body.code === 'string' ? this.codes.get(body.code) : undefined;
    if (!issued || issued.used || this.now() - issued.issuedAt > CODE_TTL_MS) return fail(400, 'invalid_grant', 'code invalid, expired or used');
    issued.used = true;
    const accessToken = randomBytes(16).toString('hex');
    this.tokens.set(accessToken, issued.person);
    return { access_token: accessToken, token_type: 'Bearer', expires_in: 300 };
  }

  private userinfo(ctx: Context) {
    const token = /^Bearer (\S+)$/.exec(ctx.get('authorization'))?.[1];
    const person = token ? this.tokens.get(token) : undefined;
    if (!person) {
      ctx.status = 401;
      return { error: 'invalid_token', error_description: 'access token invalid' };
    }
    return { phone_number: person.phone, phone_number_verified: true, name: person.name, id_number: person.idNumber };
  }
}
