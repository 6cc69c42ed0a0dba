import { z } from 'zod';
import { DEV_AGORA_CERTIFICATE, DEV_RECORDING_STORAGE, DEV_SECRET_PREFIX } from './dev-defaults';
import { duration, url } from './values';

/** The services outside that the server calls: WeChat, the map, the registry, SMS, the identity provider, insurers, Agora. */
export const externalSettings = {
  WECHAT_API_BASE: url.default('https://api.weixin.qq.com'),
  WECHAT_APPID: z.string().min(1).default('wx0000000000000000'),
  WECHAT_SECRET: z.string().min(1).default(`${DEV_SECRET_PREFIX}wechat-secret`),
  TENCENT_MAP_API_BASE: url.default('https://apis.map.qq.com'),
  TENCENT_MAP_KEY: z.string().min(1).default(`${DEV_SECRET_PREFIX}TENCENT-MAP-KEY`),
  REGISTRY_API_BASE: url.default('https://registry.invalid'),
  REGISTRY_TOKEN: z.string().min(1).default(`${DEV_SECRET_PREFIX}registry-token`),
  SMS_API_BASE: url.default('https://sms-gateway.invalid'),
  SMS_TOKEN: z.string().min(1).default(`${DEV_SECRET_PREFIX}sms-token`),
  /** The third-party identity provider that vouches for a phone number (OAuth 2.0 code flow). */
  IDP_API_BASE: url.default('https://identity-provider.invalid'),
  IDP_CLIENT_ID: z.string().min(1).default('quickhandling-dev'),
  IDP_CLIENT_SECRET: z.string().min(1).default(`${DEV_SECRET_PREFIX}idp-secret`),
  /** The insurer gateway (docs/contracts/insurer.md): a party's 认定书 handed to their insurer. */
  INSURER_API_BASE: url.default('https://insurer-gateway.invalid'),
  INSURER_TOKEN: z.string().min(1).default(`${DEV_SECRET_PREFIX}insurer-token`),
  /** Outbound calls give up after this long: a driver at the roadside should not wait on a hung upstream. */
  UPSTREAM_TIMEOUT_MS: duration.default(5_000),

  AGORA_APP_ID: z.string().regex(/^[0-9a-f]{32}$/i, 'must be 32 hex characters').default('0123456789abcdef0123456789abcdef'),
  AGORA_APP_CERTIFICATE: z
    .string()
    .regex(/^[0-9a-f]{32}$/i, 'must be 32 hex characters')
    .default(DEV_AGORA_CERTIFICATE),
  /** Cloud recording REST (Agora): customer id/secret for HTTP Basic auth; the storage the files go to (JSON). */
  AGORA_RECORDING_API_BASE: url.default('https://api.sd-rtn.com'),
  AGORA_CUSTOMER_ID: z.string().min(1).default(`${DEV_SECRET_PREFIX}agora-customer`),
  AGORA_CUSTOMER_SECRET: z.string().min(1).default(`${DEV_SECRET_PREFIX}agora-secret`),
  RECORDING_STORAGE_CONFIG: z
    .string()
    .refine((v) => {
      try {
        return typeof JSON.parse(v) === 'object';
      } catch {
        return false;
      }
    }, 'must be a JSON object (Agora storageConfig: vendor, region, bucket, accessKey, secretKey)')
    .default(DEV_RECORDING_STORAGE),
};
