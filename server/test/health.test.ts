import mongoose from 'mongoose';
import { startTestServer, type TestServer } from './harness';

describe('health and readiness', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('/healthz says the process is alive', async () => {
    const res = await t.http.get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', uptimeSeconds: expect.any(Number), version: '0.1.0' });
  });

  it('/readyz is 200 while the database answers and 503 when it does not', async () => {
    expect((await t.http.get('/readyz')).body).toEqual({ status: 'ready', database: 'up' });

    const uri = process.env.TEST_MONGODB_URI!;
    const dbName = mongoose.connection.name;
    await mongoose.disconnect();
    const down = await t.http.get('/readyz');
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ status: 'not_ready', database: 'down' });

    await mongoose.connect(uri, { dbName });
    expect((await t.http.get('/readyz')).status).toBe(200);
  });
});
