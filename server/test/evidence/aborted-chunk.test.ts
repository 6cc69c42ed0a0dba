import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { startTestServer, type TestServer } from '../harness';
import { seedBrigades, verifiedDriver } from '../cases/fixtures';
import { caseInCall, jpegOfSize, uploader } from './evidence-fixtures';

/**
 * Found by the chaos run (scripts/chaos): a phone that drops off the network right after sending a
 * chunk's headers leaves the server a request whose body stream is already closed when the route
 * reads it. That is a chunk cut short — a 400 the phone never hears, then a resume — not a 500.
 */
describe('a chunk whose connection is gone before its body is read', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { UPLOAD_CHUNK_BYTES: String(16 * 1024) } });
    await seedBrigades();
  });
  afterAll(() => t.close());

  it('is answered as cut short (4xx), never as a server error, and the upload resumes', async () => {
    const a = await verifiedDriver(t);
    const b = await verifiedDriver(t);
    const { caseId } = await caseInCall(a, b);
    const file = await jpegOfSize(40_000);
    const up = uploader(t, a);
    const session = (await up.create(caseId, { uploadKey: randomUUID(), kind: 'other', mimeType: 'image/jpeg', size: file.length })).body;
    const path = `/api/v1/uploads/${session.uploadId}/chunks/0`;

    // Headers and nothing else, then the socket is gone: the route finds the body stream closed.
    for (let i = 0; i < 5; i++) {
      await new Promise<void>((resolve) => {
        const req = httpRequest(`${t.url}${path}`, { method: 'PUT', headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/octet-stream', 'content-length': String(session.chunkSize) } });
        req.on('error', () => resolve());
        req.flushHeaders();
        setImmediate(() => {
          req.destroy();
          resolve();
        });
      });
    }
    // Their handlers have run by the time a later request of the same phone is answered (a little slack for the log).
    expect((await up.session(session.uploadId)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    const statuses = t.logs.filter((l) => l.path === path && typeof l.status === 'number').map((l) => l.status as number);
    expect(t.logs.filter((l) => l.msg === 'unhandled error').map((l) => (l.err as { message?: string })?.message)).toEqual([]);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);

    // The phone comes back and asks what the server holds: nothing yet, so it sends every chunk.
    expect((await up.session(session.uploadId)).body.received).toEqual([]);
    for (let i = 0; i < session.totalChunks; i++) expect((await up.send(session, file, i)).status).toBe(200);
    expect((await up.complete(session.uploadId)).body.evidence).toMatchObject({ seq: 1 });
  });
});
