import { Writable } from 'node:stream';
import { createLogger } from '../src/platform/logger';
import { maskIdNumber } from '../src/platform/mask';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger('debug', sink), text: () => lines.join('') };
}

describe('logging', () => {
  it('masks an ID number as 4407**********1234', () => {
    expect(maskIdNumber('id 44070319900101123X here')).toBe('id 4407**********123X here');
    expect(maskIdNumber('phone 13800138000 stays')).toBe('phone 13800138000 stays');
  });

  it('never writes a whole ID number, in the message or in any field', () => {
    const { logger, text } = capture();
    logger.info({ person: { idNumber: '440703199001011234' }, note: 'cert_no=440703199001011234' }, 'checking 440703199001011234');
    const out = text();
    expect(out).not.toContain('440703199001011234');
    expect(out).toContain('4407**********1234');
  });

  it('redacts passwords, tokens and secrets by field name', () => {
    const { logger, text } = capture();
    logger.info({ body: { password: 'hunter2hunter2', refreshToken: 'rt-abc', secret: 's3' }, req: { headers: { authorization: 'Bearer xyz', cookie: 'qh_staff=abc' } } });
    const out = text();
    for (const leaked of ['hunter2hunter2', 'rt-abc', '"s3"', 'Bearer xyz', 'qh_staff=abc']) expect(out).not.toContain(leaked);
    expect(out).toContain('[redacted]');
  });
});
