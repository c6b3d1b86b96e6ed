import { describe, expect, it, vi } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { smc } from '../../strategies/smc/worker/smc';
import { smcLiveFromTokens, smcView, stepsFromViews } from '../../strategies/smc/ui/smc-view';
import { lineageOf } from '../../strategies/smc/ui/SmcLineage';
import { SmcLivePanel } from '../../strategies/smc/ui/SmcLivePanel';
import { smcUi } from '../../strategies/smc/ui/smc-ui';
import type { LiveState, TokenRecord } from '../../protocol';
import { Rng } from '../../workers/rng';
import { ToyBatched } from './toy-batched';

vi.mock('../../workers/runtime/ort', async () => {
  const { Tensor } = await import('onnxruntime-common');
  return { configureOrt: () => ({ Tensor }) };
});

const lm = (ids: number[]) => Array.from({ length: 6 }, (_, v) => ((ids.reduce((a, x) => a * 31 + x, 7) * (v + 3)) % 11) / 4);

async function run(params: Record<string, unknown>, max: number) {
  const runner = new ToyBatched([1], lm);
  const r = smc.start({ params: params as never, target: runner, draft: null, capabilities: { batched: runner as never }, rng: new Rng(4), topK: 10, maxNewTokens: max, textAfter: (_c, id) => ` w${id}` });
  const tokens: TokenRecord[] = [];
  let live: LiveState | undefined;
  while (!live?.done) {
    const out = await r.step();
    live = out.live;
    for (const t of out.tokens) tokens.push({ id: t.id, text: ` w${t.id}`, annotations: t.annotations } as unknown as TokenRecord);
  }
  return { tokens, live: live! };
}

describe('SMC UI', () => {
  it('reads the annotations back from a JSON run file (−∞ written as null) and rebuilds the lineage steps', async () => {
    const { tokens } = await run({ particles: 4, reward: 'regex', rewardText: 'w5', essThreshold: 0 }, 6);
    const json = JSON.parse(JSON.stringify(tokens)) as TokenRecord[];
    const views = json.map((t) => smcView(t.annotations as Record<string, unknown>));
    expect(views.every((v) => v !== null)).toBe(true);
    const dead = views.flatMap((v) => v!.lanes).filter((l) => l.state === 'dead');
    expect(dead.length).toBeGreaterThan(0);
    expect(dead.every((l) => l.logw === -Infinity)).toBe(true);
    expect(stepsFromViews(views)).toHaveLength(tokens.length);
    expect(smcView({ kind: 'smc', step: 0 })).toBeNull();
  });

  it('the lineage of a lane follows the parents back; the live panel and the popover render the fan, ESS and particles', async () => {
    const steps = [
      { ess: 2, resampled: true, lanes: [{ parent: -1, id: 1, text: 'a', weight: 0.9, state: 'running' as const }, { parent: -1, id: 2, text: 'b', weight: 0.1, state: 'running' as const }] },
      { ess: 2, resampled: false, lanes: [{ parent: 0, id: 3, text: 'c', weight: 0.5, state: 'running' as const }, { parent: 0, id: 4, text: 'd', weight: 0.5, state: 'running' as const }] },
    ];
    expect(lineageOf(steps, 1)).toEqual([0, 1]);
    const { tokens, live } = await run({ particles: 4, reward: 'keyword', rewardText: 'w2, w3', essThreshold: 0.9 }, 8);
    const html = renderToStaticMarkup(createElement(SmcLivePanel, { live, panelIndex: 2 }));
    expect(html).toContain('data-testid="smc-lineage-2"');
    expect(html).toContain('data-testid="smc-ess"');
    expect(html.match(/<li /g)).toHaveLength(4);
    const last = tokens.length - 1;
    const detail = renderToStaticMarkup(createElement(() => smcUi.Detail({ token: tokens[last]!, tokens, index: last, texts: new Map() })));
    expect(detail).toContain('data-testid="smc-lanes"');
    expect(detail).toContain('data-testid="smc-lineage-detail"');
    expect(detail).toContain('data-testid="smc-summary"');
    expect(smcUi.provenanceOf(tokens[0]!.annotations as Record<string, unknown>)).toMatch(/^smc-(resampled|kept)$/);
  });
});

describe('SMC UI from a run file', () => {
  it('an imported run (no stream) rebuilds the ended particle system from the tokens', async () => {
    const { tokens, live } = await run({ particles: 3, reward: 'keyword', rewardText: 'w2', essThreshold: 0.9 }, 6);
    const json = JSON.parse(JSON.stringify(tokens)) as TokenRecord[];
    const rebuilt = smcLiveFromTokens(json)!;
    expect(rebuilt.done).toBe(true);
    expect(rebuilt.smc!.completions).toEqual(live.smc!.completions);
    expect(rebuilt.smc!.resamplings).toBe(live.smc!.resamplings);
    expect(rebuilt.smc!.steps).toEqual(live.smc!.steps.slice(0, tokens.length));
    expect(smcLiveFromTokens(json.slice(0, -1))).toBeNull();
  });
});
