import { createPrivateKey } from 'node:crypto';
import { z } from 'zod';

/**
 * Every setting comes from the environment, validated here once. Development defaults work out of the
 * box; secrets whose default starts with `dev-only-` make the process refuse to start in production.
 */
const DEV_SECRET_PREFIX = 'dev-only-';
const DEV_RECORDING_STORAGE = '{"vendor":0,"region":0,"bucket":"dev-only","accessKey":"dev-only","secretKey":"dev-only"}';
// Development keys: public, so refused in production like every other dev secret.
const DEV_ID_ENCRYPTION_KEYS = `dev1:${Buffer.alloc(32, 'dev-only-id-key').toString('base64')}`;
const DEV_ID_LOOKUP_HMAC_KEY = Buffer.alloc(32, 'dev-only-id-hmac').toString('base64');
// The certificates' Ed25519 signing key for development (PKCS8 DER, base64): public, so refused in production.
const DEV_CERT_SIGNING_KEY = 'MC4CAQAwBQYDK2VwBCIEIHqYpPhiWctczG9TfoeCtuZRBnt8RVs/6jiaMCCRbXdv';

const duration = z.coerce.number().int().positive();
const url = z.string().url();
const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Public origin of this server, used in links the console and the mini-program are given. */
  PUBLIC_URL: url.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Behind a load balancer: trust X-Forwarded-For for client IPs (rate limits) and proto (cookies). */
  TRUST_PROXY: bool.default(false),
  /**
   * How many proxies in front append to X-Forwarded-For (1: the load balancer). The client's address is
   * that many entries from the right; anything further left is the client's own claim and is ignored.
   */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(1).max(5).default(1),
  /** How long SIGTERM waits for in-flight requests before closing anyway. */
  SHUTDOWN_GRACE_MS: duration.default(10_000),
  /**
   * Bearer token the Prometheus scraper sends to GET /metrics (ops sessions get in without it). Unset:
   * nothing can scrape, nothing is exposed — so not required, even in production. At least 32 characters.
   */
  METRICS_TOKEN: z.string().min(32).optional(),
  /**
   * After SIGTERM, how long to keep accepting connections while /readyz answers 503, so a load balancer
   * that routes by readiness stops sending first (Kubernetes: a few seconds). 0: refuse new ones at once.
   */
  SHUTDOWN_READINESS_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  /** Periodic jobs (server/src/jobs.ts), run once per tick across all instances: the call and decision sweeps. */
  JOB_SWEEP_INTERVAL_MS: duration.default(15_000),
  /** The open_cases reconcile. */
  JOB_RECONCILE_INTERVAL_MS: duration.default(60_000),

  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URI').default('mongodb://127.0.0.1:27017'),
  MONGODB_DB: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/).default('quickhandling'),
  /**
   * Redis shared by every instance (pub/sub between them, rate limits, burst brakes): redis:// or
   * rediss://. Unset: one instance, with the in-process bus and brakes.
   */
  REDIS_URL: z.string().regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL').optional(),

  JWT_SECRET: z.string().min(32).default(`${DEV_SECRET_PREFIX}jwt-secret-0123456789abcdef0123456789`),
  JWT_ISSUER: z.string().default('jiangmen-accident-quick'),
  /** Driver access tokens are short-lived; the refresh token keeps a driver signed in. */
  DRIVER_ACCESS_TTL_SECONDS: duration.default(15 * 60),
  DRIVER_REFRESH_TTL_SECONDS: duration.default(30 * 24 * 3600),
  /** A staff session lasts a shift. */
  STAFF_SESSION_TTL_SECONDS: duration.default(12 * 3600),
  STAFF_COOKIE_NAME: z.string().default('qh_staff'),
  /** Secure cookies need HTTPS; on by default in production. */
  COOKIE_SECURE: bool.optional(),
  /** Failed staff logins before the account is locked; failures are forgotten after a quiet window this long. */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_FAILURE_WINDOW_SECONDS: duration.default(15 * 60),
  /** The first lock lasts this long; each further lock within a day twice as long, up to LOGIN_LOCK_MAX_SECONDS. */
  LOGIN_LOCK_BASE_SECONDS: duration.default(60),
  LOGIN_LOCK_MAX_SECONDS: duration.default(3600),
  /** A browser that signed in to an account is trusted this long (its own failure count, not the account's lock). */
  LOGIN_DEVICE_TTL_SECONDS: duration.default(180 * 24 * 3600),
  MAX_JSON_BODY: z.string().default('256kb'),
  /** bcrypt cost of staff passwords (each +1 doubles the work). */
  PASSWORD_HASH_COST: z.coerce.number().int().min(10).max(15).default(12),

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
  /** Hand-offs to an insurer (sends and retries) one driver may make per minute. */
  INSURER_HANDOFF_MAX_PER_MINUTE: z.coerce.number().int().min(1).default(6),
  /** Outbound calls give up after this long: a driver at the roadside should not wait on a hung upstream. */
  UPSTREAM_TIMEOUT_MS: duration.default(5_000),
  /** Chat messages one person may send per minute (a case allows twice that); messages kept per case at most. */
  CHAT_MAX_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  CHAT_MAX_PER_CASE: z.coerce.number().int().min(1).default(300),
  /** Edits of a case (information, facts, shot requests, checks, consent) one person may make per minute; a case allows twice that. */
  CASE_EDIT_MAX_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  /** How long a request waits for an unreachable database before it is answered 503 (retry later). */
  DB_UNAVAILABLE_AFTER_MS: duration.default(5_000),

  AGORA_APP_ID: z.string().regex(/^[0-9a-f]{32}$/i, 'must be 32 hex characters').default('0123456789abcdef0123456789abcdef'),
  AGORA_APP_CERTIFICATE: z
    .string()
    .regex(/^[0-9a-f]{32}$/i, 'must be 32 hex characters')
    .default('00000000000000000000000000000000'),

  /**
   * ID numbers are sealed with AES-256-GCM: `<keyId>:<base64 of 32 bytes>` entries, comma-separated.
   * Rotate by adding a key and making it active; old records keep opening with the key they name.
   */
  ID_ENCRYPTION_KEYS: z.string().default(DEV_ID_ENCRYPTION_KEYS),
  ID_ENCRYPTION_ACTIVE_KEY_ID: z.string().default('dev1'),
  /** HMAC key (base64, ≥ 32 bytes) for looking ID numbers up without decrypting them. */
  ID_LOOKUP_HMAC_KEY: z.string().default(DEV_ID_LOOKUP_HMAC_KEY),
  /** Face checks that may fail before the fallbacks (SMS online registration, manual review) are offered. */
  FACE_MAX_FAILURES: z.coerce.number().int().min(1).default(3),
  /** How old a face result may be when the server collects it (WeChat's verify_id lives 3600 s). */
  FACE_SESSION_TTL_SECONDS: duration.default(30 * 60),
  /** The user agreement the mini-program shows; acceptance records this version. */
  AGREEMENT_VERSION: z.string().min(1).default('2026-05-28'),

  /** Local-disk blob store (ID photos, evidence); production uses object storage behind the same interface. */
  STORAGE_DIR: z.string().optional(),
  ID_PHOTO_MAX_BYTES: z.coerce.number().int().positive().default(5 * 1024 * 1024),
  /** ID photos are deleted this many days after the review is decided. */
  ID_PHOTO_RETENTION_DAYS: z.coerce.number().int().min(0).default(30),
  /** Audit entries are kept this many days (3 years by default); 0 keeps them for ever. */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(0).default(3 * 365),

  /** Where the built dispatcher console is served from. */
  CONSOLE_DIST_DIR: z.string().optional(),

  // Reporting and the queue (server/src/cases).
  /** A safety confirmation (hazard lights, triangle) counts for a report made within this long. */
  SAFETY_CHECK_VALID_SECONDS: duration.default(30 * 60),
  /** The 6-character join code works this long after the report (and only while the case is open). */
  JOIN_CODE_TTL_SECONDS: duration.default(30 * 60),
  /** Wrong join codes a driver may try per window before being made to wait (guessing). */
  JOIN_MAX_FAILURES: z.coerce.number().int().min(1).default(8),
  JOIN_FAILURE_WINDOW_SECONDS: duration.default(10 * 60),
  /** A new report this close (metres) and this recent to an open case is offered to join it instead. */
  DUPLICATE_RADIUS_M: z.coerce.number().positive().default(100),
  DUPLICATE_WINDOW_SECONDS: duration.default(15 * 60),
  /** Queued cases this close to each other are flagged to the dispatcher (same scene or a pile-up). */
  NEARBY_CASES_M: z.coerce.number().positive().default(300),
  /** Answer-to-release time assumed until a brigade has handled enough cases to measure its own. */
  DEFAULT_HANDLING_SECONDS: duration.default(300),
  /** A waiting driver is offered the other ways of handling once the estimate passes this. */
  WAIT_ALTERNATIVES_SECONDS: duration.default(15 * 60),
  /** A dispatcher counts as on duty while their console has been connected within this long. */
  ON_DUTY_WINDOW_SECONDS: duration.default(90),
  // The call (server/src/call).
  /** RTC tokens last this long; the SDK warns 30 s before expiry and the phone or console renews. */
  RTC_TOKEN_TTL_SECONDS: duration.default(3600),
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
  /** A call with no sign of life from anyone for this long is parked (abandoned), resumable for RESUME_WINDOW_SECONDS. */
  CALL_IDLE_SECONDS: duration.default(10 * 60),
  RESUME_WINDOW_SECONDS: duration.default(2 * 3600),
  /** The dispatcher's console silent this long on a call: the case goes back to the head of the queue. */
  DESK_SILENCE_SECONDS: duration.default(90),
  /** How long a party's long poll waits for a change before answering with the same view. */
  LONG_POLL_SECONDS: duration.default(25),
  /** Live-queue streams beat this often: keeps proxies from closing them and re-checks the session. */
  QUEUE_STREAM_HEARTBEAT_MS: duration.default(15_000),
  /** Queue ageing: a case back from a dropped call ranks as if it had waited this much longer. */
  REQUEUE_PRIORITY_SECONDS: z.coerce.number().int().min(0).default(600),

  // Eligibility: excluded roads (server/src/eligibility/roads.ts) and the accuracy of the phone's fix.
  /** A point this close (metres) to a line of the excluded-road layer counts as on that road. */
  ROAD_BUFFER_M: z.coerce.number().positive().max(500).default(30),
  /** GPS accuracy worse than this (metres) asks the driver to confirm the spot on a map pin. */
  GPS_ACCURACY_CONFIRM_M: z.coerce.number().positive().default(100),
  /**
   * Replaces the default excluded names (高速, 江门大道, G15-style numbers) the reverse geocoder's street
   * is matched against: comma-separated plain text, each matched as a substring (no regex syntax).
   */
  EXCLUDED_ROAD_NAME_PATTERNS: z
    .string()
    .transform((v) => v.split(/[,，]/).map((name) => name.trim()).filter(Boolean))
    .refine((names) => names.length > 0, 'give at least one road name')
    .transform((names) => names.map((name) => new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))))
    .optional(),

  // Evidence (server/src/evidence): resumable chunked uploads, tamper-evident fixing.
  /** Chunk size of resumable uploads: small enough that a chunk gets through a weak signal, large enough to keep requests few. */
  UPLOAD_CHUNK_BYTES: z.coerce.number().int().min(1024).max(8 * 1024 * 1024).default(256 * 1024),
  /** Largest evidence photo (JPEG/PNG) a party may upload. */
  EVIDENCE_IMAGE_MAX_BYTES: z.coerce.number().int().positive().default(10 * 1024 * 1024),
  /** Largest evidence video (MP4) a party may upload. */
  EVIDENCE_VIDEO_MAX_BYTES: z.coerce.number().int().positive().default(50 * 1024 * 1024),
  /** Largest still frame the dispatcher's page may post from a party's video. */
  EVIDENCE_FRAME_MAX_BYTES: z.coerce.number().int().positive().default(5 * 1024 * 1024),

  // Blob storage (server/src/platform/storage): ID photos and evidence files.
  /** `local`: files under STORAGE_DIR. `s3`: an S3-compatible object store (MinIO, Ceph RGW, OSS/COS S3 endpoints). */
  STORAGE_BACKEND: z.enum(['local', 's3']).default('local'),
  S3_ENDPOINT: url.optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name (3–63 lowercase letters, digits, dots, hyphens)')
    .optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).default(`${DEV_SECRET_PREFIX}s3-access-key`),
  S3_SECRET_ACCESS_KEY: z.string().min(1).default(`${DEV_SECRET_PREFIX}s3-secret-key`),
  /** Path-style URLs (`endpoint/bucket/key`), as S3-compatible stores expect; false for virtual-hosted AWS buckets. */
  S3_FORCE_PATH_STYLE: bool.default(true),

  // The certificate, 道路交通事故认定书 (server/src/certificates).
  /** Ed25519 private key that signs certificates: PKCS8 PEM, or its DER in base64. */
  CERT_SIGNING_KEY: z
    .string()
    .refine((v) => isEd25519PrivateKey(v), 'must be an Ed25519 private key (PKCS8 PEM, or PKCS8 DER in base64)')
    .default(DEV_CERT_SIGNING_KEY),
  /** The CJK font the certificate is printed in: a .ttf/.otf, or a .ttc with the face's PostScript name. */
  CERT_FONT_PATH: z.string().min(1).default('/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc'),
  CERT_FONT_FACE: z.string().default('NotoSerifCJKsc-Regular'),
  /** The bold face of the title and headings. */
  CERT_BOLD_FONT_PATH: z.string().min(1).default('/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc'),
  CERT_BOLD_FONT_FACE: z.string().default('NotoSansCJKsc-Bold'),
  /** The unit's seal printed over its name (PNG, JPEG or SVG); the default is a placeholder marked 样章. */
  CERT_SEAL_IMAGE: z.string().min(1).optional(),
  /** Public verifications (page, API) one address may make per minute. */
  CERT_VERIFY_MAX_PER_MINUTE: z.coerce.number().int().min(1).default(30),

  // Staffing (server/src/rostering): the default target of the recommendation, ops may ask for another.
  /** Share of calls to answer within STAFFING_WITHIN_SECONDS (80 % within 60 s). */
  STAFFING_TARGET: z.coerce.number().gt(0).lt(1).default(0.8),
  STAFFING_WITHIN_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  /** Weeks of cases the observed arrival rates and handling times are averaged over. */
  STAFFING_WEEKS: z.coerce.number().int().min(1).max(52).default(8),
}).superRefine((config, issues) => {
  if (config.STORAGE_BACKEND !== 's3') return;
  for (const key of ['S3_ENDPOINT', 'S3_BUCKET'] as const) {
    if (!config[key]) issues.addIssue({ code: 'custom', path: [key], message: 'required when STORAGE_BACKEND=s3' });
  }
});

export type Config = z.infer<typeof schema> & { cookieSecure: boolean };

const DEV_AGORA_CERTIFICATE = '00000000000000000000000000000000';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(stripEmpty(env));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const config = parsed.data;
  const keyProblem = idKeyProblem(config);
  if (keyProblem) throw new ConfigError([keyProblem]);
  if (config.NODE_ENV === 'production') {
    const problems = productionProblems(config);
    if (problems.length > 0) throw new ConfigError(problems);
  }
  return { ...config, cookieSecure: config.COOKIE_SECURE ?? config.NODE_ENV === 'production' };
}

function productionProblems(config: z.infer<typeof schema>): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    // The object store's keys matter only when it is the backend in use.
    if (key.startsWith('S3_') && config.STORAGE_BACKEND !== 's3') continue;
    if (typeof value === 'string' && value.startsWith(DEV_SECRET_PREFIX)) {
      problems.push(`${key}: the development default must not be used in production; set a real secret`);
    }
  }
  if (config.RECORDING_STORAGE_CONFIG === DEV_RECORDING_STORAGE) {
    problems.push('RECORDING_STORAGE_CONFIG: set the real object storage the call recordings go to');
  }
  if (config.AGORA_APP_CERTIFICATE === DEV_AGORA_CERTIFICATE) {
    problems.push('AGORA_APP_CERTIFICATE: the development default must not be used in production');
  }
  if (config.ID_ENCRYPTION_KEYS.includes(DEV_ID_ENCRYPTION_KEYS.split(':')[1]!)) {
    problems.push('ID_ENCRYPTION_KEYS: the development key must not be used in production');
  }
  if (config.ID_LOOKUP_HMAC_KEY === DEV_ID_LOOKUP_HMAC_KEY) {
    problems.push('ID_LOOKUP_HMAC_KEY: the development key must not be used in production');
  }
  if (config.CERT_SIGNING_KEY === DEV_CERT_SIGNING_KEY) {
    problems.push('CERT_SIGNING_KEY: the development key must not be used in production; certificates signed with it prove nothing');
  }
  if (!config.PUBLIC_URL) {
    problems.push("PUBLIC_URL: set the server's public origin; the certificate's QR code opens <PUBLIC_URL>/verify/<number>");
  }
  if (config.COOKIE_SECURE === false) {
    problems.push('COOKIE_SECURE: staff session cookies must be Secure in production');
  }
  return problems;
}

function isEd25519PrivateKey(text: string): boolean {
  try {
    const pem = text.includes('-----BEGIN');
    const key = pem ? createPrivateKey(text) : createPrivateKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'pkcs8' });
    return key.asymmetricKeyType === 'ed25519';
  } catch {
    return false;
  }
}

/** `FOO=` in a shell or an .env file means "not set", not "set to the empty string". */
function stripEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

function idKeyProblem(config: z.infer<typeof schema>): string | null {
  try {
    idCipherKeys(config);
    return null;
  } catch (err) {
    return `ID_ENCRYPTION_KEYS / ID_LOOKUP_HMAC_KEY: ${(err as Error).message}`;
  }
}

export interface IdCipherKeys {
  /** key id → 32-byte key */
  keys: Record<string, Buffer>;
  activeKeyId: string;
  hmacKey: Buffer;
}

/** The ID-number keys as configured, checked (identity/id-cipher.ts uses them). */
export function idCipherKeys(config: Pick<Config, 'ID_ENCRYPTION_KEYS' | 'ID_ENCRYPTION_ACTIVE_KEY_ID' | 'ID_LOOKUP_HMAC_KEY'>): IdCipherKeys {
  const keys = { keys: parseKeyList(config.ID_ENCRYPTION_KEYS), activeKeyId: config.ID_ENCRYPTION_ACTIVE_KEY_ID, hmacKey: Buffer.from(config.ID_LOOKUP_HMAC_KEY, 'base64') };
  checkIdCipherKeys(keys);
  return keys;
}

/** Throws in words when a key is missing or the wrong size; returns the active key. */
export function checkIdCipherKeys({ keys, activeKeyId, hmacKey }: IdCipherKeys): Buffer {
  const active = keys[activeKeyId];
  if (!active) throw new Error(`the active ID key "${activeKeyId}" is not among the configured keys`);
  for (const [id, key] of Object.entries(keys)) if (key.length !== 32) throw new Error(`ID key "${id}" must be 32 bytes`);
  if (hmacKey.length < 32) throw new Error('the ID lookup HMAC key must be at least 32 bytes');
  return active;
}

/** `k1:<base64 32 bytes>,k2:<base64>` → { k1: Buffer, k2: Buffer } */
function parseKeyList(list: string): Record<string, Buffer> {
  const keys: Record<string, Buffer> = {};
  for (const entry of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [id, b64] = entry.split(':');
    if (!id || !b64) throw new Error(`bad key entry "${entry.slice(0, 8)}…": expected <id>:<base64>`);
    keys[id] = Buffer.from(b64, 'base64');
  }
  return keys;
}
