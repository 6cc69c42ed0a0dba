import { createTokenService, listenForRevocations } from './auth';
import { InsurerClient } from './clients/insurer/insurer-client';
import { IdentityProviderClient } from './clients/identity-provider/identity-provider-client';
import { RegistryClient } from './clients/registry/registry-client';
import { SmsClient } from './clients/sms/sms-client';
import { TencentMapClient } from './clients/tencent-map/tencent-map-client';
import { WechatClient } from './clients/wechat/wechat-client';
import { idCipherKeys, type Config } from './config';
import { createIdCipher } from './identity';
import type { Logger } from './platform/logger';
import { createLocalLimiters } from './platform/rate-limit/limiters';
import { createRedisLimiters } from './platform/rate-limit/redis-limiters';
import { createRedisPubSub } from './platform/pubsub/redis-pubsub';
import { AgoraRecordingClient } from './clients/agora-recording/recording-client';
import { createRecordingService, listenForRecording } from './call';
import { createCaseListeners, listenForDeskChanges } from './cases';
import { listenForBrigadeChanges } from './brigades';
import { listenForStatistics } from './statistics';
import { listenForMetrics } from './metrics';
import { createLocalPubSub } from './platform/pubsub/local-pubsub';
import { createBlobStore } from './platform/storage/create-blob-store';
import { createDrain } from './platform/drain';
import type { AppServices } from './app-services';
import { createMetrics, instrumentClient } from './platform/metrics';

/** Builds every client from configuration: the same code talks to the real vendors or the local fakes. */
export function createServices(config: Config, logger: Logger): AppServices {
  const timeoutMs = config.UPSTREAM_TIMEOUT_MS;
  const metrics = createMetrics();
  // Several instances share Redis (one bus, one count); one instance needs none. Keys and channels are
  // scoped by the database's name: instances of one deployment share them, others on the same Redis do not.
  const redisPrefix = `qh:${config.MONGODB_DB}:`;
  const limits = config.REDIS_URL ? createRedisLimiters(config.REDIS_URL, logger, redisPrefix) : createLocalLimiters();
  const services: AppServices = {
    config,
    metrics,
    clock: () => new Date(),
    logger,
    blobs: createBlobStore(config),
    tokens: createTokenService({
      secret: config.JWT_SECRET,
      issuer: config.JWT_ISSUER,
      driverAccessTtlSeconds: config.DRIVER_ACCESS_TTL_SECONDS,
      staffSessionTtlSeconds: config.STAFF_SESSION_TTL_SECONDS,
      loginDeviceTtlSeconds: config.LOGIN_DEVICE_TTL_SECONDS,
    }),
    idCipher: createIdCipher(idCipherKeys(config)),
    wechat: new WechatClient({ baseUrl: config.WECHAT_API_BASE, appId: config.WECHAT_APPID, secret: config.WECHAT_SECRET, timeoutMs }),
    tencentMap: new TencentMapClient({ baseUrl: config.TENCENT_MAP_API_BASE, key: config.TENCENT_MAP_KEY, timeoutMs }),
    registry: new RegistryClient({ baseUrl: config.REGISTRY_API_BASE, token: config.REGISTRY_TOKEN, timeoutMs }),
    identityProvider: new IdentityProviderClient({ baseUrl: config.IDP_API_BASE, clientId: config.IDP_CLIENT_ID, clientSecret: config.IDP_CLIENT_SECRET, timeoutMs }),
    pubsub: config.REDIS_URL ? createRedisPubSub(config.REDIS_URL, logger, redisPrefix) : createLocalPubSub(),
    limits,
    caseListeners: createCaseListeners(logger),
    drain: createDrain(),
    recording: createRecordingService(
      instrumentClient(new AgoraRecordingClient({ baseUrl: config.AGORA_RECORDING_API_BASE, appId: config.AGORA_APP_ID, customerId: config.AGORA_CUSTOMER_ID, customerSecret: config.AGORA_CUSTOMER_SECRET, timeoutMs }), 'agora-recording', metrics),
      JSON.parse(config.RECORDING_STORAGE_CONFIG) as Record<string, unknown>,
    ),
    joinFailures: limits.rate('case-join', config.JOIN_FAILURE_WINDOW_SECONDS),
    chatLimiter: limits.burst('chat'),
    editLimiter: limits.burst('edit'),
    sms: new SmsClient({ baseUrl: config.SMS_API_BASE, token: config.SMS_TOKEN, timeoutMs }),
    insurer: new InsurerClient({ baseUrl: config.INSURER_API_BASE, token: config.INSURER_TOKEN, timeoutMs }),
  };
  // Every vendor call that fails is counted by client and code (/metrics); the errors pass on unchanged.
  services.wechat = instrumentClient(services.wechat, 'wechat', metrics);
  services.tencentMap = instrumentClient(services.tencentMap, 'tencent-map', metrics);
  services.registry = instrumentClient(services.registry, 'registry', metrics);
  services.identityProvider = instrumentClient(services.identityProvider, 'identity-provider', metrics);
  services.sms = instrumentClient(services.sms, 'sms', metrics);
  services.insurer = instrumentClient(services.insurer, 'insurer', metrics);
  // Side effects that follow a case's events, wired once the services they use exist.
  listenForRevocations(services.pubsub);
  listenForBrigadeChanges(services.pubsub);
  listenForDeskChanges(services.pubsub);
  listenForRecording(services);
  listenForStatistics(services);
  listenForMetrics(services);
  return services;
}
