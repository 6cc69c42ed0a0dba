import type { WaitEstimate } from '../../../typings/api/cases';

export interface WaitInputs {
  /** 1-based place in the brigade's queue order. */
  position: number;
  dispatchersOnDuty: number;
  /** Dispatchers of the brigade on a call now. */
  callsInProgress: number;
  /** Answer-to-release times of the brigade's recent cases, in seconds. */
  recentHandlingSeconds: number[];
  defaultHandlingSeconds: number;
  alternativesAfterSeconds: number;
}

/** Fewer handled cases than this and the brigade's own median says little: use the default. */
const MIN_SAMPLES = 5;

/**
 * An honest estimate, and how it was made. Each dispatcher on duty handles one case at a time, taking
 * the brigade's typical (median) handling time; a free dispatcher takes the first waiting case at
 * once. So the cases ahead are shared out among the dispatchers in rounds: the driver at `position`
 * waits for ⌈(position − free) ÷ dispatchers⌉ rounds, or none when a dispatcher is free for them.
 * With nobody on duty there is no honest number: say so and offer the alternatives.
 */
export function estimateWait(input: WaitInputs): WaitEstimate {
  const measured = input.recentHandlingSeconds.length >= MIN_SAMPLES;
  const typical = measured ? median(input.recentHandlingSeconds) : input.defaultHandlingSeconds;
  const minutes = Math.max(1, Math.round(typical / 60));
  const ahead = input.position - 1;
  const source = measured ? `本大队近期每起平均用时约 ${minutes} 分钟` : `每起通常约 ${minutes} 分钟`;

  if (input.dispatchersOnDuty === 0) {
    return {
      position: input.position,
      estimatedSeconds: null,
      dispatchersOnDuty: 0,
      typicalHandlingSeconds: typical,
      basis: `前面还有 ${ahead} 起；当前暂无值班民警在线，无法估计等待时间`,
      offerAlternatives: true,
    };
  }
  const free = Math.max(0, input.dispatchersOnDuty - input.callsInProgress);
  const rounds = input.position <= free ? 0 : Math.ceil((input.position - free) / input.dispatchersOnDuty);
  const estimatedSeconds = rounds * typical;
  return {
    position: input.position,
    estimatedSeconds,
    dispatchersOnDuty: input.dispatchersOnDuty,
    typicalHandlingSeconds: typical,
    basis: `前面还有 ${ahead} 起；${input.dispatchersOnDuty} 位民警在岗，${source}`,
    offerAlternatives: estimatedSeconds > input.alternativesAfterSeconds,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return Math.round(sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2);
}
