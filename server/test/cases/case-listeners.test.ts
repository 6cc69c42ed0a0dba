import { Types } from 'mongoose';
import { createCaseListeners, type CaseHappened } from '../../src/cases';
import type { CaseSnapshot } from '../../src/cases';
import type { Logger } from '../../src/platform/logger';

const warnings: unknown[][] = [];
const logger = { warn: (...args: unknown[]) => warnings.push(args) } as unknown as Logger;
const happened = (event: CaseHappened['event']): CaseHappened => ({ event, case: { _id: new Types.ObjectId() } as CaseSnapshot, actor: { kind: 'system', id: null } });

describe('case listeners', () => {
  beforeEach(() => warnings.splice(0));

  it('runs the listeners of the event that happened, and only those', async () => {
    const listeners = createCaseListeners(logger);
    const heard: string[] = [];
    listeners.on(['release', 'redirect'], 'stop', async ({ event }) => heard.push(`stop:${event}`));
    listeners.on('answer', 'start', async ({ event }) => heard.push(`start:${event}`));
    listeners.emit(happened('release'));
    listeners.emit(happened('cancel'));
    await listeners.settled();
    expect(heard).toEqual(['stop:release']);
  });

  it('does not wait for a listener to answer: emit returns before it runs, settled() after', async () => {
    const listeners = createCaseListeners(logger);
    let done = false;
    listeners.on('release', 'slow', () => new Promise((resolve) => setTimeout(() => resolve((done = true)), 20)));
    listeners.emit(happened('release'));
    expect(done).toBe(false);
    await listeners.settled();
    expect(done).toBe(true);
  });

  it('logs a failing listener with its name and goes on with the others', async () => {
    const listeners = createCaseListeners(logger);
    const heard: string[] = [];
    listeners.on('release', 'broken', async () => {
      throw new Error('recorder unreachable');
    });
    listeners.on('release', 'fine', async () => heard.push('fine'));
    listeners.emit(happened('release'));
    await listeners.settled();
    expect(heard).toEqual(['fine']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.[0]).toMatchObject({ listener: 'broken', event: 'release' });
  });

  it('registering a listener again under its name replaces it instead of running it twice', async () => {
    const listeners = createCaseListeners(logger);
    let runs = 0;
    listeners.on('answer', 'recording:start', async () => runs++);
    listeners.on('answer', 'recording:start', async () => runs++);
    listeners.emit(happened('answer'));
    await listeners.settled();
    expect(runs).toBe(1);
  });
});
