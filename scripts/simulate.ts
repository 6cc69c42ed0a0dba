/**
 * `npm run simulate [-- --per-hour 25 --handling 240 --sigma 0.5 --patience 120 --hours 12]`: one brigade's
 * service day simulated for 1 … N dispatchers beside what Erlang C says, so a staffing choice can be read
 * off both: the share answered within 60 s, the mean wait, and the calls lost to callers hanging up.
 */
import { parseArgs } from 'node:util';
import { answeredWithin, erlangC, simulateDesk } from '../server/src/staffing';

const { values } = parseArgs({
  options: {
    'per-hour': { type: 'string', default: '25' },
    handling: { type: 'string', default: '240' },
    sigma: { type: 'string', default: '0.5' },
    patience: { type: 'string' },
    hours: { type: 'string', default: '12' },
    days: { type: 'string', default: '30' },
    seed: { type: 'string', default: '1' },
  },
});
const arrivalRate = Number(values['per-hour']) / 3600;
const meanHandlingSeconds = Number(values.handling);
const sigma = Number(values.sigma);
const patienceSeconds = values.patience === undefined ? undefined : Number(values.patience);
const seconds = Number(values.hours) * 3600 * Number(values.days);
if (![arrivalRate, meanHandlingSeconds, sigma, seconds].every((n) => Number.isFinite(n) && n > 0)) {
  console.error('simulate: --per-hour, --handling, --sigma, --hours and --days must be positive numbers');
  process.exit(2);
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const secs = (x: number) => (Number.isFinite(x) ? `${x.toFixed(0)} s` : '∞');
console.log(`${values['per-hour']} calls/h, handling ${meanHandlingSeconds} s on average (log-normal σ ${sigma})${patienceSeconds ? `, callers hang up after ${patienceSeconds} s` : ''}; ${values.days} days of ${values.hours} h simulated\n`);
console.log('dispatchers │ Erlang C: ≤60 s  mean wait │ simulated: ≤60 s  mean wait  lost');
const least = Math.max(1, Math.ceil(arrivalRate * meanHandlingSeconds));
for (let agents = least; agents <= least + 3; agents++) {
  const desk = { arrivalRate, meanHandlingSeconds, agents };
  const model = erlangC(desk);
  const sim = simulateDesk({ ...desk, handling: { lognormalSigma: sigma }, patienceSeconds, seconds, seed: Number(values.seed) });
  console.log(
    `${String(agents).padStart(11)} │ ${pct(answeredWithin(desk, 60)).padStart(15)} ${secs(model.meanWaitSeconds).padStart(10)} │ ${pct(sim.answeredWithin(60)).padStart(16)} ${secs(sim.meanWaitSeconds).padStart(10)} ${pct(sim.abandoned / Math.max(1, sim.arrived)).padStart(5)}`,
  );
}
