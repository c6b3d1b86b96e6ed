// The speculative timeline as a first visit sees it: draft chips name their text (even drafts the run
// never emits, copied from the prompt), and the summary counts only the accepted drafts kept.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { promptLookupDecoding } from '../../strategies/speculative/worker/prompt-lookup';
import { SpeculativeTimeline, timelineSummary } from '../../strategies/speculative/ui/SpeculativeTimeline';
import { speculativeView } from '../../strategies/speculative/ui/speculative-view';
import { tokenTextAfter } from '../../workers/decode/records';
import { Rng } from '../../workers/rng';
import { FakeRunner, greedyReference, toyTarget } from './fake-model';
import { decode, fakeJob, letters } from './helpers';

const V = 12;
const target = toyTarget(V);
const seed = [1, 5];
const own = greedyReference(target, seed, 12);
// The target's own continuation then a wrong one, then the seed again: lookup copies both.
const PROMPT = [...seed, ...own, ...seed];

function lookupJob(withText: boolean) {
  const t = new FakeRunner(PROMPT, target);
  const job = fakeJob(promptLookupDecoding, { k: 10, ngram: 2 }, t, null);
  if (withText) {
    job.run = promptLookupDecoding.start({
      params: { k: 10, ngram: 2 },
      target: t,
      draft: null,
      rng: new Rng(1),
      topK: 10,
      eosIds: [],
      textAfter: (context, id) => tokenTextAfter(letters, context, id),
    });
  }
  return job;
}

describe('speculative timeline', () => {
  it('counts only the accepted drafts the token budget kept', async () => {
    const job = await decode(lookupJob(false), 4);
    const head = speculativeView(job.record.tokens[0]!.annotations);
    expect(head?.acceptedInIteration).toBe(10);
    expect(timelineSummary(job.record.tokens)).toEqual({ iterations: 1, accepted: 4 });
    const html = renderToStaticMarkup(createElement(SpeculativeTimeline, { tokens: job.record.tokens }));
    expect(html).toContain('Iterations: 1, accepted drafts: 4');
    expect(html).toContain('4 of 10 accepted drafts kept');
  });

  it('shows every draft chip by its text, never as #id, even drafts that were never emitted', async () => {
    const job = await decode(lookupJob(true), 4);
    const drafts = speculativeView(job.record.tokens[0]!.annotations)?.drafts ?? [];
    expect(drafts).toHaveLength(10);
    expect(drafts.map((d) => d.text)).toEqual(drafts.map((d) => letters.decode([d.id])));
    const html = renderToStaticMarkup(createElement(SpeculativeTimeline, { tokens: job.record.tokens }));
    expect(html).not.toMatch(/#\d/);
  });
});
