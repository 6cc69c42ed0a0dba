import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { createApp } from '../../server/src/app';
import { Case } from '../../server/src/cases/case.model';
import { newJoinCode } from '../../server/src/cases/join-code';
import { Driver } from '../../server/src/drivers/driver.model';
import type { AppServices } from '../../server/src/app-services';
import { createLocalDiskStore } from '../../server/src/platform/storage/local-disk-store';
import type { RunningFakes } from '../../server/fakes';

type Summary = (label: string, samples: number[]) => { p50: number; p99: number };

// ─── 3. Evidence: chunked upload throughput ──────────────────────────────────────────────────────
/**
 * A 12-megapixel photo (~7.6 MB of JPEG: random pixels do not compress) through the resumable upload
 * (create, 256 KiB chunks one after another as the phone sends them, complete: assembly, SHA-256, a full
 * decode, the evidence claim and the case event) against a plain fs.copyFile of the same file, in the
 * same run, on a temporary local-disk blob store.
 */
const EVIDENCE_ROUNDS = 5;

export async function benchEvidenceUpload(services: AppServices, fakes: RunningFakes, summary: Summary): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'qh-bench-blobs-'));
  const app = createApp({ ...services, blobs: createLocalDiskStore(join(dir, 'blobs')) });
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const login = await fetch(`${base}/api/v1/auth/wechat-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: fakes.wechat.issueCode('bench-evidence') }) });
    const session = (await login.json()) as { accessToken: string; driver: { id: string } };
    await Driver.updateOne({ _id: session.driver.id }, { $set: { verification: 'verified', verificationMethod: 'face' } });
    const now = new Date();
    // A case on the call with this driver as party A (answering is not what is measured here).
    const created = await Case.create({
      state: 'in_call', stateChangedAt: now, reportedAt: now, queuedAt: now, answeredAt: now, initiatorId: session.driver.id, idempotencyKey: randomUUID(),
      brigadeCode: 'JM-PJ', vehicleCount: 2, joinCode: newJoinCode(), joinCodeExpiresAt: new Date(now.getTime() + 30 * 60_000),
      parties: [{ driverId: session.driver.id, label: 'A', plate: '粤J12345', joinedAt: now, factsConfirmedAt: now, via: 'report' }],
    });
    const auth = { authorization: `Bearer ${session.accessToken}` };
    const json = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(base + path, { method, headers: { ...auth, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      const answer = (await res.json()) as Record<string, unknown>;
      if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(answer)}`);
      return answer;
    };

    const file = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 30 } } }).jpeg({ quality: 92 }).toBuffer();
    const source = join(dir, 'photo.jpg');
    writeFileSync(source, file);
    const mb = file.length / 1024 / 1024;
    const uploadMs: number[] = [];
    const chunkMs: number[] = [];
    const completeMs: number[] = [];
    const copyMs: number[] = [];
    for (let round = 0; round < EVIDENCE_ROUNDS; round++) {
      // Interleaved, so both see the same disk and machine load.
      const c0 = performance.now();
      await copyFile(source, join(dir, `copy-${round}.jpg`));
      copyMs.push(performance.now() - c0);

      const t0 = performance.now();
      const upload = (await json('POST', `/api/v1/cases/${String(created._id)}/uploads`, { uploadKey: randomUUID(), kind: 'impact_point', mimeType: 'image/jpeg', size: file.length })) as { uploadId: string; chunkSize: number; totalChunks: number };
      for (let i = 0; i < upload.totalChunks; i++) {
        const s0 = performance.now();
        const res = await fetch(`${base}/api/v1/uploads/${upload.uploadId}/chunks/${i}`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/octet-stream' }, body: new Uint8Array(file.subarray(i * upload.chunkSize, (i + 1) * upload.chunkSize)) });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`chunk ${i} answered ${res.status}`);
        chunkMs.push(performance.now() - s0);
      }
      const k0 = performance.now();
      const done = (await json('POST', `/api/v1/uploads/${upload.uploadId}/complete`)) as { evidence: { sha256: string } };
      completeMs.push(performance.now() - k0);
      uploadMs.push(performance.now() - t0);
      if (done.evidence.sha256 !== createHash('sha256').update(file).digest('hex')) throw new Error('the fixed file is not the one sent');
    }
    // The transport alone: the same file PUT whole to a server that only reads it (the ceiling of any
    // upload over HTTP on this machine, before chunking, the database or a decode).
    const sink = createServer((req, res) => {
      req.on('data', () => undefined);
      req.on('end', () => res.end('{}'));
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/`;
    const transferMs: number[] = [];
    for (let round = 0; round < EVIDENCE_ROUNDS; round++) {
      const t0 = performance.now();
      await (await fetch(sinkUrl, { method: 'PUT', body: new Uint8Array(file) })).arrayBuffer();
      transferMs.push(performance.now() - t0);
    }
    sink.close();
    const chunks = Math.ceil(file.length / services.config.UPLOAD_CHUNK_BYTES);
    console.log(`\nevidence upload, ${mb.toFixed(1)} MB in ${chunks} chunks of ${services.config.UPLOAD_CHUNK_BYTES / 1024} KiB over HTTP (loopback), ${EVIDENCE_ROUNDS} rounds, vs fs.copyFile:`);
    const upload = summary('chunked upload (create…complete)', uploadMs);
    summary('one chunk PUT', chunkMs);
    const complete = summary('complete (assemble, fix, event)', completeMs);
    const copy = summary('fs.copyFile', copyMs);
    const transfer = summary('HTTP PUT of the whole file (no work)', transferMs);
    console.log(`  throughput p50: upload ${(mb / (upload.p50 / 1000)).toFixed(1)} MB/s, copyFile ${(mb / (copy.p50 / 1000)).toFixed(1)} MB/s (${(upload.p50 / copy.p50).toFixed(1)}× the copy's time), bare HTTP ${(mb / (transfer.p50 / 1000)).toFixed(1)} MB/s`);
    console.log(`  chunks alone (all PUTs, no complete) p50 ${(mb / ((upload.p50 - complete.p50) / 1000)).toFixed(1)} MB/s; complete includes decoding all 12 M pixels (a forged photo must not pass)`);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
}
