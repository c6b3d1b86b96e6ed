/**
 * The particle lineage fan of an SMC run (docs/algorithms.md#smc): x = token step, one lane per
 * particle; each particle's edge comes from the lane its prefix ended in (ancestor edges merge where
 * resampling duplicated a particle), its thickness ∝ the normalised weight; dead particles faded,
 * finished ones hollow; resampling steps marked; the highlighted particle's lineage in blue. Under
 * it, the ESS per step with the threshold line and the resampling markers.
 */
import type { SmcLiveStep } from '../annotations';

const COL = 22;
const LANE = 12;
const PAD = 10;
const ESS_H = 44;

/** The lanes of `head`'s lineage per step (index = step), traced back through the parents. */
export function lineageOf(steps: readonly SmcLiveStep[], head: number): number[] {
  const out: number[] = new Array<number>(steps.length);
  let lane = head;
  for (let s = steps.length - 1; s >= 0; s--) {
    out[s] = lane;
    lane = steps[s]!.lanes[lane]?.parent ?? -1;
    if (lane < 0) break;
  }
  return out;
}

export function SmcLineage({ steps, first = 0, particles, threshold, head, testId }: { steps: readonly SmcLiveStep[]; first?: number; particles: number; threshold: number; head: number; testId: string }) {
  if (steps.length === 0) return null;
  const width = PAD * 2 + COL * steps.length;
  const fanH = PAD * 2 + LANE * (particles - 1);
  const y = (j: number) => PAD + LANE * j;
  const x = (s: number) => PAD + COL * s + COL / 2;
  const path = lineageOf(steps, head);
  const essY = (e: number) => ESS_H - 4 - ((ESS_H - 8) * (e - 1)) / Math.max(1, particles - 1);
  const resampled = steps.map((st, s) => (st.resampled ? s : -1)).filter((s) => s >= 0);
  return (
    <figure className="smc-lineage" data-testid={testId} aria-label="Particle lineages and ESS">
      <svg width={width} height={fanH} role="img" aria-label={`Lineages of ${particles} particles over ${steps.length} steps${resampled.length ? `, resampled after ${resampled.length} of them` : ''}`}>
        {resampled.map((s) => (
          <line key={`r${s}`} data-testid="smc-resample-mark" x1={x(s) + COL / 2} x2={x(s) + COL / 2} y1={2} y2={fanH - 2} stroke="#D55E00" strokeDasharray="2 2" />
        ))}
        {steps.map((st, s) =>
          st.lanes.map((l, j) => {
            const on = path[s] === j;
            const from = s === 0 ? null : l.parent;
            const x0 = s === 0 ? PAD : x(s - 1);
            const y0 = from === null || from < 0 ? y(j) : y(from);
            const color = on ? '#0072B2' : l.state === 'dead' ? '#bbbbbb' : '#555555';
            return (
              <g key={`${s}:${j}`}>
                <title>{`step ${first + s + 1}, particle ${j + 1}${l.id === null ? ' (frozen)' : `: “${l.text}”`}, weight ${(100 * l.weight).toFixed(1)} %, ${l.state}`}</title>
                <line x1={x0} y1={y0} x2={x(s)} y2={y(j)} stroke={color} strokeWidth={0.6 + 5 * l.weight} opacity={l.state === 'dead' ? 0.5 : 0.9} />
                <circle cx={x(s)} cy={y(j)} r={2.2} fill={l.state === 'finished' ? 'white' : color} stroke={color} />
              </g>
            );
          }),
        )}
      </svg>
      <svg width={width} height={ESS_H} role="img" aria-label="Effective sample size per step" data-testid="smc-ess">
        <line x1={PAD} x2={width - PAD} y1={essY(threshold)} y2={essY(threshold)} stroke="#D55E00" strokeDasharray="4 3">
          <title>{`resampling threshold ${threshold.toFixed(2)}`}</title>
        </line>
        <polyline fill="none" stroke="#0072B2" strokeWidth={1.5} points={steps.map((st, s) => `${x(s)},${essY(st.ess)}`).join(' ')} />
        {steps.map((st, s) => (
          <circle key={s} cx={x(s)} cy={essY(st.ess)} r={st.resampled ? 3.5 : 1.8} fill={st.resampled ? '#D55E00' : '#0072B2'}>
            <title>{`step ${first + s + 1}: ESS ${st.ess.toFixed(2)} of ${particles}${st.resampled ? ', resampled' : ''}`}</title>
          </circle>
        ))}
      </svg>
      <figcaption className="popover-caption">
        Lanes: particles; thickness ∝ weight; dashed: resampling. Below: ESS (1…{particles}), the dashed line is the threshold {threshold.toFixed(1)}.
      </figcaption>
    </figure>
  );
}
