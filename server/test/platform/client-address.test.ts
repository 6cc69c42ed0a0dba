import { startTestServer, type TestServer } from '../harness';

/**
 * Behind the load balancer the client's address is the one the balancer appended last to
 * X-Forwarded-For; whatever the client wrote before it is the client's own claim. Rate limits keyed on
 * the address must not be escaped by writing a different claim on every request.
 */
describe('client address behind the load balancer', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { TRUST_PROXY: 'true', CERT_VERIFY_MAX_PER_MINUTE: '2' } });
  });
  afterAll(() => t.close());

  const verify = (forwardedFor: string) =>
    fetch(`${t.url}/api/v1/certificates/JM2026000001/verify`, { headers: { 'x-forwarded-for': forwardedFor } });

  it('a forged leftmost X-Forwarded-For does not reset the per-address brake', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 3; i++) statuses.push((await verify(`10.0.0.${i}, 203.0.113.9`)).status);
    expect(statuses[2]).toBe(429);
  });

  it('two clients behind the balancer are still told apart', async () => {
    expect((await verify('198.51.100.20')).status).not.toBe(429);
    expect((await verify('198.51.100.21')).status).not.toBe(429);
  });
});
