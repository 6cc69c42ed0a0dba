import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type Router from '@koa/router';
import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { FakeService } from './fake-service';

export interface FakeS3Object {
  data: Buffer;
  /** Quoted hex MD5 of the bytes, as S3 gives it for a single-part upload. */
  etag: string;
  contentType: string;
  /** `x-amz-meta-*` headers, names lower-cased and without the prefix. */
  metadata: Record<string, string>;
  /** Base64 SHA-256 the client sent in `x-amz-checksum-sha256` (checked against the bytes), if it sent one. */
  checksumSha256: string | null;
  lastModified: Date;
}

interface S3Error {
  status: number;
  code: string;
  message: string;
  extra?: Record<string, string>;
}

// Bucket names cannot contain `_`: /__fake/ stays the control API's.
const OBJECT_PATH = /^\/(?!__fake\/)([^/]+)\/(.+)$/;
const BUCKET_PATH = /^\/(?!__fake(?:\/|$))([^/]+)\/?$/;
/** The query parameters the four object calls carry; any other (?uploads, ?tagging, ?acl, …) is an API this fake does not speak. */
const ALLOWED_QUERY = new Set(['x-id']);
const MAX_SKEW_MS = 15 * 60_000;
const MAX_METADATA_BYTES = 2048;

/**
 * An S3-compatible object store, path-style (`/<bucket>/<key>`): PutObject, GetObject, HeadObject and
 * DeleteObject on the one bucket it was given, with S3's XML errors (NoSuchKey, NoSuchBucket,
 * InvalidAccessKeyId, SignatureDoesNotMatch, …; HEAD answers carry no body).
 *
 * Authentication is checked fully, as S3 does: the `AWS4-HMAC-SHA256` Authorization header's access
 * key id, the signature recomputed from the canonical request with the secret key, every `x-amz-*`
 * header signed, `x-amz-date` within 15 minutes of now, and `x-amz-content-sha256` equal to the
 * SHA-256 of the body received. `Content-MD5` and `x-amz-checksum-sha256`/`-sha1` are checked against
 * the bytes (BadDigest). Not supported, and answered 501 NotImplemented rather than pretended:
 * presigned URLs, aws-chunked (streaming) bodies, CRC checksums, multipart uploads, ranges and every
 * bucket-level call.
 */
export class S3Fake extends FakeService {
  private readonly buckets = new Map<string, Map<string, FakeS3Object>>();

  constructor(
    private readonly accessKeyId: string,
    private readonly secretAccessKey: string,
    readonly bucket: string,
  ) {
    super('s3');
    this.buckets.set(bucket, new Map());
  }

  /** The object stored under `key`, or undefined. */
  object(key: string, bucket = this.bucket): FakeS3Object | undefined {
    return this.buckets.get(bucket)?.get(key);
  }

  /** Every key in the bucket, sorted. */
  keys(bucket = this.bucket): string[] {
    return [...(this.buckets.get(bucket)?.keys() ?? [])].sort();
  }

  protected override resetState(): void {
    this.buckets.clear();
    this.buckets.set(this.bucket, new Map());
  }

  protected routes(router: Router): void {
    // HEAD before GET: the router would otherwise answer a HEAD with the GET route.
    router.head(OBJECT_PATH, this.api('HeadObject', (ctx) => this.handle(ctx, (objects, key) => this.headObject(ctx, objects, key))));
    router.get(OBJECT_PATH, this.api('GetObject', (ctx) => this.handle(ctx, (objects, key) => this.getObject(ctx, objects, key))));
    router.put(OBJECT_PATH, this.api('PutObject', (ctx) => this.handle(ctx, (objects, key, body) => this.putObject(ctx, objects, key, body))));
    router.delete(OBJECT_PATH, this.api('DeleteObject', (ctx) => this.handle(ctx, (objects, key) => this.deleteObject(ctx, objects, key))));
    router.all(BUCKET_PATH, this.api('BucketOperation', (ctx) => this.fail(ctx, notImplemented())));
  }

  protected override controlRoutes(router: Router): void {
    router.get('/s3/objects', (ctx) => {
      ctx.body = {
        objects: [...this.buckets].flatMap(([bucket, objects]) =>
          [...objects].map(([key, o]) => ({ bucket, key, size: o.data.length, etag: o.etag, contentType: o.contentType, metadata: o.metadata, lastModified: o.lastModified })),
        ),
      };
    });
  }

  private async handle(ctx: Context, operation: (objects: Map<string, FakeS3Object>, key: string, body: Buffer) => unknown): Promise<unknown> {
    const body = await readBody(ctx);
    const denied = this.authenticate(ctx, body);
    if (denied) return this.fail(ctx, denied);
    const [, bucket = '', rawKey = ''] = OBJECT_PATH.exec(ctx.path) ?? [];
    const objects = this.buckets.get(bucket);
    if (!objects) return this.fail(ctx, { status: 404, code: 'NoSuchBucket', message: 'The specified bucket does not exist', extra: { BucketName: bucket } });
    if (Object.keys(ctx.query).some((name) => !ALLOWED_QUERY.has(name))) return this.fail(ctx, notImplemented());
    let key: string;
    try {
      key = decodeURIComponent(rawKey);
    } catch {
      return this.fail(ctx, { status: 400, code: 'InvalidURI', message: "Couldn't parse the specified URI." });
    }
    return operation(objects, key, body);
  }

  private putObject(ctx: Context, objects: Map<string, FakeS3Object>, key: string, body: Buffer) {
    if (ctx.get('content-length') === '') return this.fail(ctx, { status: 411, code: 'MissingContentLength', message: 'You must provide the Content-Length HTTP header.' });
    const md5 = createHash('md5').update(body).digest();
    const contentMd5 = ctx.get('content-md5');
    if (contentMd5) {
      const given = Buffer.from(contentMd5, 'base64');
      if (given.length !== 16) return this.fail(ctx, { status: 400, code: 'InvalidDigest', message: 'The Content-MD5 you specified was invalid.' });
      if (!given.equals(md5)) return this.fail(ctx, { status: 400, code: 'BadDigest', message: 'The Content-MD5 you specified did not match what we received.' });
    }
    for (const name of Object.keys(ctx.headers).filter((h) => h.startsWith('x-amz-checksum-'))) {
      const algorithm = name.slice('x-amz-checksum-'.length);
      if (algorithm === 'type' || algorithm === 'mode') continue;
      if (algorithm !== 'sha256' && algorithm !== 'sha1') return this.fail(ctx, notImplemented());
      if (createHash(algorithm).update(body).digest('base64') !== ctx.get(name)) {
        return this.fail(ctx, { status: 400, code: 'BadDigest', message: `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.` });
      }
    }
    const metadata: Record<string, string> = {};
    for (const [name, value] of Object.entries(ctx.headers)) {
      if (name.startsWith('x-amz-meta-') && typeof value === 'string') metadata[name.slice('x-amz-meta-'.length)] = value;
    }
    if (Object.entries(metadata).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0) > MAX_METADATA_BYTES) {
      return this.fail(ctx, { status: 400, code: 'MetadataTooLarge', message: 'Your metadata headers exceed the maximum allowed metadata size.' });
    }
    const stored: FakeS3Object = {
      data: body,
      etag: `"${md5.toString('hex')}"`,
      contentType: ctx.get('content-type') || 'binary/octet-stream',
      metadata,
      checksumSha256: ctx.get('x-amz-checksum-sha256') || null,
      lastModified: new Date(),
    };
    objects.set(key, stored);
    ctx.set('ETag', stored.etag);
    if (stored.checksumSha256) ctx.set('x-amz-checksum-sha256', stored.checksumSha256);
    ctx.status = 200;
    return Buffer.alloc(0);
  }

  private getObject(ctx: Context, objects: Map<string, FakeS3Object>, key: string) {
    const stored = objects.get(key);
    if (!stored) return this.fail(ctx, { status: 404, code: 'NoSuchKey', message: 'The specified key does not exist.', extra: { Key: key } });
    this.objectHeaders(ctx, stored);
    return stored.data;
  }

  private headObject(ctx: Context, objects: Map<string, FakeS3Object>, key: string) {
    const stored = objects.get(key);
    // The XML is what GET would send; for HEAD only its headers go out (S3's HEAD errors have no body).
    if (!stored) return this.fail(ctx, { status: 404, code: 'NoSuchKey', message: 'The specified key does not exist.', extra: { Key: key } });
    this.objectHeaders(ctx, stored);
    return stored.data;
  }

  private deleteObject(ctx: Context, objects: Map<string, FakeS3Object>, key: string) {
    // 204 whether the key existed or not.
    objects.delete(key);
    ctx.status = 204;
    return null;
  }

  private objectHeaders(ctx: Context, stored: FakeS3Object) {
    ctx.status = 200;
    ctx.type = stored.contentType;
    ctx.set('ETag', stored.etag);
    ctx.set('Last-Modified', stored.lastModified.toUTCString());
    for (const [name, value] of Object.entries(stored.metadata)) ctx.set(`x-amz-meta-${name}`, value);
    if (stored.checksumSha256 && ctx.get('x-amz-checksum-mode').toUpperCase() === 'ENABLED') {
      ctx.set('x-amz-checksum-sha256', stored.checksumSha256);
      ctx.set('x-amz-checksum-type', 'FULL_OBJECT');
    }
  }

  private fail(ctx: Context, error: S3Error): string {
    ctx.status = error.status;
    ctx.type = 'application/xml';
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    ctx.set('x-amz-request-id', requestId);
    const fields = { Code: error.code, Message: error.message, ...error.extra, RequestId: requestId, HostId: randomBytes(24).toString('base64') };
    return `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${Object.entries(fields)
      .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
      .join('')}</Error>`;
  }

  /** SigV4 as S3 checks it (header form); null when the request is authentic. */
  private authenticate(ctx: Context, body: Buffer): S3Error | null {
    const authorization = ctx.get('authorization');
    if (!authorization) {
      // Anonymous (or presigned, which this fake does not support) on a private bucket.
      return { status: 403, code: 'AccessDenied', message: 'Access Denied' };
    }
    if (!authorization.startsWith('AWS4-HMAC-SHA256 ')) {
      return { status: 400, code: 'InvalidRequest', message: 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.' };
    }
    const parsed = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/.exec(authorization);
    if (!parsed) return { status: 400, code: 'AuthorizationHeaderMalformed', message: 'The authorization header is malformed.' };
    const [, accessKeyId = '', date = '', region = '', service = '', signedHeaderList = '', signature = ''] = parsed;
    if (accessKeyId !== this.accessKeyId) {
      return { status: 403, code: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.', extra: { AWSAccessKeyId: accessKeyId } };
    }
    if (service !== 's3') return { status: 400, code: 'AuthorizationHeaderMalformed', message: `The authorization header is malformed; incorrect service "${service}". This endpoint belongs to "s3".` };

    const amzDate = ctx.get('x-amz-date');
    const at = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
    if (!at) return { status: 403, code: 'AccessDenied', message: 'AWS authentication requires a valid Date or x-amz-date header' };
    if (amzDate.slice(0, 8) !== date) {
      return { status: 400, code: 'AuthorizationHeaderMalformed', message: 'The authorization header is malformed; Invalid credential date. Date is not the same as X-Amz-Date.' };
    }
    const requestTime = Date.UTC(Number(at[1]), Number(at[2]) - 1, Number(at[3]), Number(at[4]), Number(at[5]), Number(at[6]));
    if (Math.abs(Date.now() - requestTime) > MAX_SKEW_MS) {
      return { status: 403, code: 'RequestTimeTooSkewed', message: 'The difference between the request time and the current time is too large.', extra: { RequestTime: amzDate, ServerTime: new Date().toISOString() } };
    }

    const payloadHash = ctx.get('x-amz-content-sha256');
    if (!payloadHash) return { status: 400, code: 'InvalidRequest', message: 'Missing required header for this request: x-amz-content-sha256' };
    if (payloadHash.startsWith('STREAMING-')) return notImplemented();

    const signedHeaders = signedHeaderList.split(';');
    const unsigned = Object.keys(ctx.headers).filter((h) => h.startsWith('x-amz-') && !signedHeaders.includes(h));
    if (!signedHeaders.includes('host') || unsigned.length > 0) {
      return { status: 403, code: 'AccessDenied', message: 'There were headers present in the request which were not signed', extra: { HeadersNotSigned: unsigned.join(', ') || 'host' } };
    }

    const [rawPath = '/', rawQuery = ''] = (ctx.req.url ?? '/').split('?', 2);
    const canonicalRequest = [
      ctx.method,
      rawPath,
      canonicalQuery(rawQuery),
      signedHeaders.map((h) => `${h}:${headerValue(ctx.req.headers[h])}\n`).join(''),
      signedHeaderList,
      payloadHash,
    ].join('\n');
    const scope = `${date}/${region}/${service}/aws4_request`;
    const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
    let signingKey: Buffer = hmac(`AWS4${this.secretAccessKey}`, date);
    for (const part of [region, service, 'aws4_request']) signingKey = hmac(signingKey, part);
    const expected = hmac(signingKey, stringToSign);
    if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
      return {
        status: 403,
        code: 'SignatureDoesNotMatch',
        message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
        extra: { AWSAccessKeyId: accessKeyId, StringToSign: stringToSign, SignatureProvided: signature, CanonicalRequest: canonicalRequest },
      };
    }
    if (payloadHash !== 'UNSIGNED-PAYLOAD') {
      const computed = createHash('sha256').update(body).digest('hex');
      if (payloadHash !== computed) {
        return {
          status: 400,
          code: 'XAmzContentSHA256Mismatch',
          message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
          extra: { ClientComputedContentSHA256: payloadHash, S3ComputedContentSHA256: computed },
        };
      }
    }
    return null;
  }
}

/** The body as bytes: raw for these routes (the base app's JSON parser has already consumed a JSON-typed one, and kept its text). */
async function readBody(ctx: Context): Promise<Buffer> {
  const parsed = (ctx.request as { rawBody?: string }).rawBody;
  if (typeof parsed === 'string') return Buffer.from(parsed, 'utf8');
  if (ctx.req.readableEnded) return Buffer.alloc(0);
  return getRawBody(ctx.req);
}

function notImplemented(): S3Error {
  return { status: 501, code: 'NotImplemented', message: 'A header you provided implies functionality that is not implemented' };
}

function canonicalQuery(raw: string): string {
  return raw
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf('=');
      const [name, value] = at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
      return [uriEncode(safeDecode(name)), uriEncode(safeDecode(value))] as const;
    })
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const uriEncode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const headerValue = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(',') : (value ?? '')).trim().replace(/\s+/g, ' ');
const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
