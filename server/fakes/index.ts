import { AgoraRecordingFake } from './agora-recording-fake';
import { IdentityProviderFake } from './identity-provider-fake';
import { InsurerFake } from './insurer-fake';
import { RegistryFake } from './registry-fake';
import { S3Fake } from './s3-fake';
import { SmsFake } from './sms-fake';
import { TencentMapFake } from './tencent-map-fake';
import { WechatFake } from './wechat-fake';

export { AgoraRecordingFake, IdentityProviderFake, InsurerFake, RegistryFake, S3Fake, SmsFake, TencentMapFake, WechatFake };

export interface FakeCredentials {
  WECHAT_APPID: string;
  WECHAT_SECRET: string;
  TENCENT_MAP_KEY: string;
  REGISTRY_TOKEN: string;
  SMS_TOKEN: string;
  IDP_CLIENT_ID: string;
  IDP_CLIENT_SECRET: string;
  AGORA_APP_ID: string;
  AGORA_CUSTOMER_ID: string;
  AGORA_CUSTOMER_SECRET: string;
  S3_ACCESS_KEY_ID: string;
  S3_SECRET_ACCESS_KEY: string;
  INSURER_TOKEN: string;
}

export interface RunningFakes {
  wechat: WechatFake;
  tencentMap: TencentMapFake;
  registry: RegistryFake;
  sms: SmsFake;
  identityProvider: IdentityProviderFake;
  agoraRecording: AgoraRecordingFake;
  s3: S3Fake;
  insurer: InsurerFake;
  /** Environment that points a server at these fakes. */
  env: Record<string, string>;
  reset(): void;
  stop(): Promise<void>;
}

export const DEFAULT_FAKE_CREDENTIALS: FakeCredentials = {
  WECHAT_APPID: 'wx0000000000000000',
  WECHAT_SECRET: 'dev-only-wechat-secret',
  TENCENT_MAP_KEY: 'dev-only-TENCENT-MAP-KEY',
  REGISTRY_TOKEN: 'dev-only-registry-token',
  SMS_TOKEN: 'dev-only-sms-token',
  IDP_CLIENT_ID: 'quickhandling-dev',
  IDP_CLIENT_SECRET: 'dev-only-idp-secret',
  AGORA_APP_ID: '0123456789abcdef0123456789abcdef',
  AGORA_CUSTOMER_ID: 'dev-only-agora-customer',
  AGORA_CUSTOMER_SECRET: 'dev-only-agora-secret',
  S3_ACCESS_KEY_ID: 'dev-only-s3-access-key',
  S3_SECRET_ACCESS_KEY: 'dev-only-s3-secret-key',
  INSURER_TOKEN: 'dev-only-insurer-token',
};

/** The bucket the S3 fake holds (the only one it knows). */
export const FAKE_S3_BUCKET = 'quickhandling-dev';

/** Starts one fake per external service on loopback (free ports unless given). */
export async function startFakes(
  credentials: FakeCredentials = DEFAULT_FAKE_CREDENTIALS,
  options: { acceptUnknownWechatCodesAs?: string | null; ports?: Partial<Record<'wechat' | 'tencentMap' | 'registry' | 'sms' | 'identityProvider' | 'agoraRecording' | 's3' | 'insurer', number>> } = {},
): Promise<RunningFakes> {
  const wechat = new WechatFake({ appId: credentials.WECHAT_APPID, secret: credentials.WECHAT_SECRET, acceptUnknownCodesAs: options.acceptUnknownWechatCodesAs ?? null });
  const tencentMap = new TencentMapFake(credentials.TENCENT_MAP_KEY);
  const registry = new RegistryFake(credentials.REGISTRY_TOKEN);
  const sms = new SmsFake(credentials.SMS_TOKEN);
  const identityProvider = new IdentityProviderFake(credentials.IDP_CLIENT_ID, credentials.IDP_CLIENT_SECRET);
  const agoraRecording = new AgoraRecordingFake(credentials.AGORA_APP_ID, credentials.AGORA_CUSTOMER_ID, credentials.AGORA_CUSTOMER_SECRET);
  const s3 = new S3Fake(credentials.S3_ACCESS_KEY_ID, credentials.S3_SECRET_ACCESS_KEY, FAKE_S3_BUCKET);
  const insurer = new InsurerFake(credentials.INSURER_TOKEN);
  const fakes = [wechat, tencentMap, registry, sms, identityProvider, agoraRecording, s3, insurer];
  await Promise.all([
    wechat.start(options.ports?.wechat),
    tencentMap.start(options.ports?.tencentMap),
    registry.start(options.ports?.registry),
    sms.start(options.ports?.sms),
    identityProvider.start(options.ports?.identityProvider),
    agoraRecording.start(options.ports?.agoraRecording),
    s3.start(options.ports?.s3),
    insurer.start(options.ports?.insurer),
  ]);
  return {
    wechat,
    tencentMap,
    registry,
    sms,
    identityProvider,
    agoraRecording,
    s3,
    insurer,
    env: {
      ...credentials,
      WECHAT_API_BASE: wechat.url,
      TENCENT_MAP_API_BASE: tencentMap.url,
      REGISTRY_API_BASE: registry.url,
      SMS_API_BASE: sms.url,
      IDP_API_BASE: identityProvider.url,
      AGORA_RECORDING_API_BASE: agoraRecording.url,
      INSURER_API_BASE: insurer.url,
      // The fake object store is there for STORAGE_BACKEND=s3; the default backend stays local disk.
      S3_ENDPOINT: s3.url,
      S3_BUCKET: FAKE_S3_BUCKET,
    },
    reset: () => fakes.forEach((f) => f.reset()),
    stop: async () => {
      await Promise.all(fakes.map((f) => f.stop()));
    },
  };
}
