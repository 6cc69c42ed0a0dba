import type { IdentityProviderClient } from '../clients/identity-provider/identity-provider-client';
import type { RegistryClient } from '../clients/registry/registry-client';
import type { SmsClient } from '../clients/sms/sms-client';
import type { TencentMapClient } from '../clients/tencent-map/tencent-map-client';
import type { WechatClient } from '../clients/wechat/wechat-client';
import type { Config } from '../config';
import type { TokenService } from '../auth/tokens';
import type { IdCipher } from '../identity/id-cipher';
import type { Logger } from './logger';
import type { RateLimiter } from './rate-limit/rate-limiter';
import type { BurstLimiter } from './rate-limit/burst-limiter';
import type { BlobStore } from './storage/blob-store';
import type { PubSub } from './pubsub/pubsub';
import type { RecordingService } from '../call/recording';

/**
 * What request handlers share, hung on Koa's `app.context` (as `ctx.services`) once at start-up, so a
 * route is a plain function and a test can build the app with any client pointed anywhere.
 */
export interface AppServices {
  config: Config;
  /** The time rules are judged at; tests set it to judge 07:29 or 19:31 whenever they run. */
  clock: () => Date;
  logger: Logger;
  tokens: TokenService;
  blobs: BlobStore;
  idCipher: IdCipher;
  wechat: WechatClient;
  tencentMap: TencentMapClient;
  registry: RegistryClient;
  sms: SmsClient;
  identityProvider: IdentityProviderClient;
  /** Case changes to live consoles and waiting drivers (in-process now; Redis with several instances). */
  pubsub: PubSub;
  /** Cloud recording of calls (Agora REST). */
  recording: RecordingService;
  /** Wrong join codes per driver (guessing). */
  joinFailures: RateLimiter;
  /** Chat messages per sender and per case (call/chat.ts). */
  chatLimiter: BurstLimiter;
  /** Edits of a case per person and per case (call/call.service.ts). */
  editLimiter: BurstLimiter;
}

declare module 'koa' {
  interface DefaultContext {
    services: AppServices;
  }
}
