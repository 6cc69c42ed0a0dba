import type { InsurerClient } from './clients/insurer/insurer-client';
import type { IdentityProviderClient } from './clients/identity-provider/identity-provider-client';
import type { RegistryClient } from './clients/registry/registry-client';
import type { SmsClient } from './clients/sms/sms-client';
import type { WechatClient } from './clients/wechat/wechat-client';
import type { PlatformServices } from './platform/services';
import type { TokenService } from './auth';
import type { CallServices } from './call';
import type { EligibilityServices } from './eligibility';
import type { IdCipher } from './identity';

/**
 * What request handlers share, hung on Koa's `app.context` (as `ctx.services`) once at start-up, so a
 * route is a plain function and a test can build the app with any client pointed anywhere. It is every
 * module's own services type at once; services.ts builds it.
 */
export interface AppServices extends PlatformServices, CallServices, EligibilityServices {
  tokens: TokenService;
  idCipher: IdCipher;
  wechat: WechatClient;
  registry: RegistryClient;
  sms: SmsClient;
  identityProvider: IdentityProviderClient;
  insurer: InsurerClient;
}

declare module 'koa' {
  interface DefaultContext {
    services: AppServices;
  }
}
