import { estimateWait } from '../../src/cases/wait-estimate';
import { rankQueue } from '../../src/cases/queue-order';

const base = { dispatchersOnDuty: 2, callsInProgress: 2, recentHandlingSeconds: [], defaultHandlingSeconds: 300, alternativesAfterSeconds: 900 };

describe('cases/wait-estimate', () => {
  it('shares the cases ahead among the dispatchers on duty in rounds of the typical handling time', () => {
    expect(estimateWait({ ...base, position: 1 }).estimatedSeconds).toBe(300);
    expect(estimateWait({ ...base, position: 2 }).estimatedSeconds).toBe(300);
    expect(estimateWait({ ...base, position: 3 }).estimatedSeconds).toBe(600);
    expect(estimateWait({ ...base, position: 7 }).estimatedSeconds).toBe(1200);
  });

  it('says no wait when a dispatcher is free for this case', () => {
    expect(estimateWait({ ...base, callsInProgress: 1, position: 1 }).estimatedSeconds).toBe(0);
    expect(estimateWait({ ...base, callsInProgress: 1, position: 2 }).estimatedSeconds).toBe(300);
  });

  it("uses the brigade's own median once it has handled enough cases, and says so", () => {
    const estimate = estimateWait({ ...base, position: 3, recentHandlingSeconds: [200, 240, 1000, 180, 240] });
    expect(estimate).toMatchObject({ typicalHandlingSeconds: 240, estimatedSeconds: 480 });
    expect(estimate.basis).toContain('本大队近期每起平均用时约 4 分钟');
    expect(estimateWait({ ...base, position: 3, recentHandlingSeconds: [60, 60] }).typicalHandlingSeconds).toBe(300);
  });

  it('gives no number with nobody on duty, and offers the alternatives; also past the threshold', () => {
    expect(estimateWait({ ...base, dispatchersOnDuty: 0, position: 1 })).toMatchObject({ estimatedSeconds: null, offerAlternatives: true, basis: expect.stringContaining('暂无值班民警') });
    expect(estimateWait({ ...base, position: 5 }).offerAlternatives).toBe(false);
    expect(estimateWait({ ...base, position: 7 }).offerAlternatives).toBe(true);
  });
});

describe('cases/queue-order', () => {
  const now = new Date('2026-11-25T02:00:00Z');
  const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
  const c = (id: string, waitedMinutes: number, requeued = false) => ({ _id: id, reportedAt: ago(waitedMinutes), queuedAt: ago(waitedMinutes), requeued });

  it('is oldest first', () => {
    expect(rankQueue([c('new', 1), c('old', 9), c('mid', 4)], now, 600).map((x) => x._id)).toEqual(['old', 'mid', 'new']);
  });

  it('puts a case back from a dropped call ahead by the bonus, but never ahead of one that has waited longer than bonus + its wait', () => {
    const ranked = rankQueue([c('waiting8', 8), c('dropped1', 1, true), c('waiting12', 12)], now, 600).map((x) => x._id);
    expect(ranked).toEqual(['waiting12', 'dropped1', 'waiting8']);
  });
});
