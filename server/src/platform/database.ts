import mongoose from 'mongoose';
import { AppError } from './errors';

/**
 * One mongoose connection per process. The same code runs on the embedded FerretDB engine and on a
 * MongoDB replica set, so nothing here (or anywhere) uses transactions, change streams or $lookup.
 */
export async function connectDatabase(uri: string, dbName: string, options: { serverSelectionTimeoutMS?: number } = {}): Promise<typeof mongoose> {
  const unavailableAfterMs = options.serverSelectionTimeoutMS ?? 5_000;
  mongoose.set('strictQuery', true);
  // While the connection is down mongoose holds commands back; give up as soon as server selection would.
  mongoose.set('bufferTimeoutMS', unavailableAfterMs);
  const connection = await mongoose.connect(uri, {
    dbName,
    serverSelectionTimeoutMS: unavailableAfterMs,
    // Indexes (unique openid, usernames…) are part of correctness, so build them before serving.
    autoIndex: true,
  });
  await Promise.all(Object.values(mongoose.models).map((model) => model.init()));
  return connection;
}

export async function pingDatabase(timeoutMs = 1_000): Promise<boolean> {
  const db = mongoose.connection.db;
  if (!db || mongoose.connection.readyState !== 1) return false;
  try {
    await Promise.race([
      db.admin().command({ ping: 1 }),
      new Promise((_, reject) => setTimeout(() => reject(new Error('ping timeout')), timeoutMs).unref()),
    ]);
    return true;
  } catch {
    return false;
  }
}

export async function disconnectDatabase(): Promise<void> {
  await mongoose.disconnect();
}

/**
 * A unique index refused an insert or upsert. The project settles every race this way (see
 * docs/ARCHITECTURE.md), so this is an expected answer, not an error.
 */
export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number } | null)?.code === 11000;
}

/** What the driver and mongoose throw when the database cannot be reached (as opposed to refusing a command). */
const UNREACHABLE = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoPoolClearedError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoServerClosedError',
]);

export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { name?: unknown; message?: unknown } | null;
  if (!e || typeof e.name !== 'string') return false;
  if (UNREACHABLE.has(e.name)) return true;
  // Commands mongoose held back while disconnected, given up on.
  return e.name === 'MongooseError' && typeof e.message === 'string' && /buffering timed out|Client must be connected/.test(e.message);
}

/** Seconds a client should wait before trying again while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export const databaseUnavailable = () =>
  new AppError(503, 'DATABASE_UNAVAILABLE', '系统暂时无法访问数据，请稍后重试', { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS });
