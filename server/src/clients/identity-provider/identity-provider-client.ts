import { fetchJson, joinUrl } from '../http/fetch-json';

/**
 * A third-party identity provider that holds a verified phone number for a person (a carrier's or a
 * bank's real-name record), reached by OAuth 2.0 authorisation code (RFC 6749 §4.1) and an
 * OpenID-Connect-style userinfo endpoint. Protocol: docs/contracts/README.md → Identity provider.
 */
export interface ProviderPerson {
  phone: string;
  name: string;
  idNumber: string;
}

export class IdentityProviderError extends Error {
  constructor(
    readonly error: string,
    readonly detail: string,
  ) {
    super(`identity provider: ${error}: ${detail}`);
    this.name = 'IdentityProviderError';
  }
}

export interface IdentityProviderOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
}

interface TokenBody {
  access_token?: string;
  error?: string;
  error_description?: string;
}

interface UserinfoBody {
  phone_number?: string;
  phone_number_verified?: boolean;
  name?: string;
  id_number?: string;
  error?: string;
  error_description?: string;
}

export class IdentityProviderClient {
  constructor(private readonly options: IdentityProviderOptions) {}

  /** The person the provider vouches for, with a phone it has verified; throws on any refusal. */
  async personFor(authCode: string): Promise<ProviderPerson> {
    const { baseUrl, clientId, clientSecret, timeoutMs } = this.options;
    const token = await fetchJson<TokenBody>(joinUrl(baseUrl, '/v1/oauth/token'), {
      service: 'identity-provider',
      method: 'POST',
      body: { grant_type: 'authorization_code', code: authCode, client_id: clientId, client_secret: clientSecret },
      timeoutMs,
    });
    if (!token.access_token) throw new IdentityProviderError(token.error ?? 'invalid_response', token.error_description ?? 'no access_token');
    const info = await fetchJson<UserinfoBody>(joinUrl(baseUrl, '/v1/userinfo'), {
      service: 'identity-provider',
      headers: { authorization: `Bearer ${token.access_token}` },
      timeoutMs,
    });
    if (info.error) throw new IdentityProviderError(info.error, info.error_description ?? '');
    if (!info.phone_number || info.phone_number_verified !== true || !info.name || !info.id_number) {
      throw new IdentityProviderError('unverified_phone', 'the provider did not vouch for a phone number');
    }
    return { phone: info.phone_number, name: info.name, idNumber: info.id_number };
  }
}
