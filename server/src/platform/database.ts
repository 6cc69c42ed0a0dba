import mongoose from 'mongoose';

/**
 * One mongoose connection per process. The same code runs on the embedded FerretDB engine and on a
 * MongoDB replica set, so nothing here (or anywhere) uses transactions, change streams or $lookup.
 */
export async function connectDatabase(uri: string, dbName: string): Promise<typeof mongoose> {
  mongoose.set('strictQuery', true);
  const connection = await mongoose.connect(uri, {
    dbName,
    serverSelectionTimeoutMS: 5_000,
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
