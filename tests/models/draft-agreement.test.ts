// The draft shares the target's embedding, first layer, final norm and lm_head, so its greedy
// choice agrees with the target's on a good fraction of steps: speculative decoding accepts
// a meaningful share of drafted tokens, yet the pair is not trivially identical.
import { describe, expect, it } from 'vitest';
import { BOS_ID, EOS_ID, ReferenceSession, maskedGreedyPick, referenceGreedy } from '../../scripts/testmodels/reference';

const PROMPTS = ['Once upon a time', 'Hello', 'The quick brown fox', 'def f(x):', 'Lorem ipsum', 'emoji 👋', 'SELECT 1;', 'Speculative decoding'];

/** Steps where the draft's masked argmax, given the target's greedy prefix, equals the target's token. */
function agreement(prompt: string): { agree: number; total: number } {
  const ids = [BOS_ID, ...new TextEncoder().encode(prompt)];
  const target = referenceGreedy('tiny-llama', ids, 48).ids;
  const draft = new ReferenceSession('tiny-llama-draft');
  let row = ids.map((id) => draft.push(id).logits).at(-1) ?? new Float32Array();
  let agree = 0;
  for (const id of target) {
    if (maskedGreedyPick(row).id === id) agree++;
    if (id === EOS_ID) break;
    row = draft.push(id).logits;
  }
  return { agree, total: target.length };
}

describe('tiny-llama-draft vs tiny-llama', () => {
  it('agree on a decent fraction of greedy steps', () => {
    const counts = PROMPTS.map(agreement);
    const agree = counts.reduce((a, c) => a + c.agree, 0);
    const total = counts.reduce((a, c) => a + c.total, 0);
    const fraction = agree / total;
    console.log(`draft/target greedy agreement: ${agree}/${total} = ${fraction.toFixed(3)}`);
    expect(fraction).toBeGreaterThan(0.3);
    expect(fraction).toBeLessThan(0.9);
  });

  it('share the first-token distribution closely but not exactly', () => {
    const t = new ReferenceSession('tiny-llama').push(BOS_ID).logits;
    const d = new ReferenceSession('tiny-llama-draft').push(BOS_ID).logits;
    let dot = 0;
    let nt = 0;
    let nd = 0;
    t.forEach((v, i) => {
      const w = d[i] ?? 0;
      dot += v * w;
      nt += v * v;
      nd += w * w;
    });
    const cosine = dot / Math.sqrt(nt * nd);
    console.log(`draft/target logit cosine after BOS: ${cosine.toFixed(3)}`);
    expect(cosine).toBeGreaterThan(0.5);
    expect(cosine).toBeLessThan(0.999);
  });
});
