/**
 * Built-in lessons (`lesson=<id>` in a link, the Lessons menu): short guided comparisons on the
 * trained built-in pair. Content only: each setup is a link query string, read by the same parser
 * as a shared link (app/lesson-setup.ts), and tests/app/lessons.test.ts checks every one against
 * the URL parser and the strategy schemas. The text names a concrete token only where the run is
 * deterministic (greedy, or greedy verification), and e2e/lessons.spec.ts checks those claims
 * (`expect`) on a real run.
 */

/** What a deterministic lesson's text promises, checked on a real run by the e2e tests. */
export interface LessonClaim {
  /** Panel (0-based) whose text contains `text`. */
  contains?: { panel: number; text: string };
  /** These panels write the same text. */
  sameText?: [number, number];
  /** Panel `fewer` makes fewer target forward passes than panel `than`. */
  fewerTargetPasses?: { fewer: number; than: number };
}

/** One lesson: the card's title and text, and the setup as a link query string. */
export interface Lesson {
  /** Letters, digits and `-`: the value of `lesson=` in a link. */
  id: string;
  title: string;
  /** A few sentences: what the panels show and what to look at. */
  text: string;
  /** model, draft, panels, prompt, max, seed (and chat) as in a shared link (docs/url.md); never `run` or `backend`. */
  setup: string;
  /** Claims about the run the text makes (deterministic lessons only). */
  expect?: LessonClaim;
}

const PAIR = 'model=builtin:stories260k&draft=builtin:stories-draft';
const STORY = 'prompt=Once%20upon%20a%20time';
// Passages share words with the prompt: GRAD keeps only passages that match it (BM25).
const GRAD_CORPUS = 'Once upon a time there was a big brown dog named Max. Max liked to run in the park with his red ball.\n\nOne day Max found a little bird in the park, and Max and the bird became friends.';

/** The built-in lessons, in menu order. */
export const LESSONS: readonly Lesson[] = [
  {
    id: 'greedy-vs-sampling',
    title: 'Greedy vs sampling',
    text: 'Greedy always takes the most likely token, so it writes the same story on every run: here a little girl named Lily. Sampling draws each token from the distribution: change the seed and Generate again, and the greedy story stays the same while the sampled one will usually change. Hover a token to see what else the model considered.',
    setup: `${PAIR}&max=32&seed=0&panels=greedy,sample&${STORY}`,
    expect: { contains: { panel: 0, text: 'Lily' } },
  },
  {
    id: 'temperature-sweep',
    title: 'Temperature sweep',
    text: 'The same seed at T = 0.3, 0.7, 1.0 and 1.5. Dividing the logits by a small T sharpens the distribution (close to greedy); a large T flattens it, so unlikely tokens get picked and the story falls apart. Switch the heatmap to surprisal to see it.',
    setup: `${PAIR}&max=32&seed=1&panels=sample(temperature=0.3),sample(temperature=0.7),sample(temperature=1),sample(temperature=1.5)&${STORY}`,
  },
  {
    id: 'top-p-vs-min-p',
    title: 'Top-p vs min-p',
    text: 'Both panels sample at a high temperature (T = 1.5). Top-p keeps the smallest set of tokens whose probability reaches 0.9; min-p keeps the tokens at least 0.1 × as likely as the top one. The third panel has no cut at all. Compare how well each keeps the story together.',
    setup: `${PAIR}&max=40&seed=2&panels=sample(temperature=1.5;topP=0.9),sample(temperature=1.5;minP=0.1),sample(temperature=1.5)&${STORY}`,
  },
  {
    id: 'repetition-penalty',
    title: 'Repetition penalty',
    text: 'Both panels are greedy; the second divides the positive logits of every token already in the text (prompt included) by θ = 1.5 and multiplies the negative ones. Compare how often words and phrases come back in a long continuation.',
    setup: `${PAIR}&max=96&seed=0&panels=greedy,greedy(repetitionPenalty=1.5)&${STORY}`,
  },
  {
    id: 'contrastive-decoding',
    title: 'Contrastive decoding vs greedy',
    text: 'Contrastive decoding scores tokens by what the large model (expert) believes more than the small draft (amateur): (1+β)·z_expert − β·z_amateur, among the tokens the expert finds plausible (α). It was proposed against the bland, repetitive text of greedy decoding; compare the two long continuations.',
    setup: `${PAIR}&max=96&seed=0&panels=greedy,contrastive(alpha=0.1;beta=0.5)&${STORY}`,
  },
  {
    id: 'speculative-lossless',
    title: 'Speculative decoding is lossless',
    text: 'The draft model proposes k = 4 tokens; the target checks them all in one forward pass and keeps the ones it would have chosen itself. With greedy verification the text is exactly the greedy text, yet the speculative panel needs fewer target passes (see each panel’s footer). The timeline shows which drafts were accepted.',
    setup: `${PAIR}&max=48&seed=0&panels=greedy,speculative(k=4)&${STORY}`,
    expect: { sameText: [0, 1], fewerTargetPasses: { fewer: 1, than: 0 } },
  },
  {
    id: 'prompt-lookup',
    title: 'Prompt lookup on repetitive text',
    text: 'Prompt lookup needs no draft model: it looks for the last two tokens (else the last one) earlier in the text and proposes the tokens that followed them there. This prompt repeats itself, which gives it something to copy. Verification is greedy, so the text equals the greedy panel’s; compare the target passes in the footers.',
    setup: `${PAIR}&max=48&seed=0&panels=greedy,prompt-lookup(k=10;ngram=2)&prompt=${encodeURIComponent('Lily said, "I like the ball." Tom said, "I like the ball." Mom said, "I like')}`,
    expect: { sameText: [0, 1] },
  },
  {
    id: 'cntp-branching',
    title: 'CNTP: branching where the model is unsure',
    text: 'Cautious next-token prediction samples one token when the model is sure (low entropy) and, when it is unsure, tries several continuations up to the next punctuation and keeps the one with the lowest perplexity. Compare it with plain sampling at the same settings, and use the entropy heatmap to see where it branched.',
    setup: `${PAIR}&max=48&seed=4&panels=sample(temperature=0.8;topP=0.9),cntp(maxTrials=4)&${STORY}`,
  },
  {
    id: 'grad-corpus',
    title: 'GRAD with a small corpus',
    text: 'GRAD retrieves the passages of a corpus that match the prompt, builds a graph of which token follows which in them (weighted by the model’s own logits) and adds it to the logits at each step. The corpus here is two short passages about a dog named Max; compare how far the GRAD panel drifts towards them from the greedy story.',
    setup: `${PAIR}&max=48&seed=0&panels=greedy,grad(corpusName=none;corpus=${encodeURIComponent(`"${encodeURIComponent(GRAD_CORPUS)}"`)})&${STORY}`,
  },
  {
    id: 'ead-switching',
    title: 'EAD: the small model writes the easy parts',
    text: 'Entropy-adaptive decoding lets the 2-layer draft write while the mean entropy of its last tokens stays low and hands over to the target when it rises. Colour the tokens by provenance to see which model wrote each one, and compare the target passes in the footers: EAD needs fewer than the target alone.',
    setup: `${PAIR}&max=48&seed=0&panels=greedy,ead&${STORY}`,
    expect: { fewerTargetPasses: { fewer: 1, than: 0 } },
  },
  {
    id: 'style-injection',
    title: 'n-gram injection: a style prior, and where it breaks',
    text: 'Both n-gram panels add λ × the log-probability of a small trigram model of the bundled pirate tales to the logits. At λ = 1.5 the story picks up pirate words (a shiny cap, a captain) and stays fluent; at λ = 4 the prior wins and the text starts to loop, the fluency collapse the paper reports. Colour the tokens by provenance to see which ones the style prior flipped, and hover one to compare p with and without it.',
    setup: `${PAIR}&max=48&seed=0&panels=greedy,ngram,ngram(lambda=4)&${STORY}`,
    expect: { contains: { panel: 1, text: 'cap' } },
  },
  {
    id: 'beam-search',
    title: 'Beam search: four drafts at once, one winner',
    text: 'Beam search keeps the four most probable partial stories each step and returns the best finished one. Watch the list under the panel: a token enters the stream only once every beam in the race agrees on it. Colour by provenance: yellow marks where the winner was not the leading beam, so greedy would have lost it. The diverse panel splits its beams into two groups penalised for picking the same word.',
    setup: `${PAIR}&max=40&seed=0&panels=greedy,beam(numBeams=4),beam(numBeams=4;numBeamGroups=2;diversityPenalty=2)&${STORY}`,
  },
  {
    id: 'layers-dola',
    title: 'Layer by layer: the logit lens and DoLa',
    text: 'Open “Logit lens” under the greedy panel: each row is a layer read through the output head, each column a token; the right token often appears only in the last layers. Hover a token for every layer’s top 5. DoLa contrasts the output with whichever of layers 2 and 4 differs most from it, on the tokens the output finds plausible: its Lily loves to eat food, where greedy’s plays outside.',
    setup: `${PAIR}&max=32&seed=0&panels=greedy,dola&${STORY}`,
    expect: { contains: { panel: 1, text: 'eat food' } },
  },
  {
    id: 'draft-free-speculation',
    title: 'Draft-free speculation: same text, fewer passes',
    text: 'Token recycling drafts from a table of the target’s own earlier top-8 candidates; ADED drafts from tri-gram counts of the text so far; prompt lookup copies an earlier match. None needs a draft model, and all verify greedily, so the text equals the greedy panel’s. On this repetitive prompt they need fewer target passes (see the footers); hover a token to see the table rows behind each draft.',
    setup: `${PAIR}&max=48&seed=0&panels=greedy,token-recycling,aded,prompt-lookup&prompt=${encodeURIComponent('the cat sat on the mat. the cat sat on the mat. the cat')}`,
    expect: { sameText: [0, 2], fewerTargetPasses: { fewer: 2, than: 0 } },
  },
  {
    id: 'multi-draft',
    title: 'Multi-draft speculative decoding: three chains, one check',
    text: 'Single-draft speculative decoding bets on one chain of k = 4 tokens. Multi-draft starts three chains with the draft’s top three first tokens, and the target checks them all in one batched pass: when the favourite is wrong, the second or third can be right. The text is still the greedy text, with fewer target passes than single-draft (see the footers). Hover a token for every chain.',
    setup: `${PAIR}&max=48&seed=0&panels=greedy,speculative(k=4),multi-draft(drafts=3;k=4)&${STORY}`,
    expect: { sameText: [0, 2], fewerTargetPasses: { fewer: 2, than: 1 } },
  },
  {
    id: 'smc-reward',
    title: 'Steering with a reward: particles, weights, resampling',
    text: 'SMC carries eight sampled stories (particles) at once. A particle that writes the keyword “Tom” gains weight; when the weights grow uneven (the ESS falls under the dashed line) the particles are resampled: heavy ones copied, light ones dropped. Watch the lineage fan under the panel merge there. The output is the heaviest text; the sampling panel draws with the same seed and no reward.',
    setup: `${PAIR}&max=32&seed=3&panels=sample(temperature=1),smc(particles=8;reward=keyword;rewardText=Tom;essThreshold=0.9)&${STORY}`,
  },
  {
    id: 'grammar-asap',
    title: 'Grammar masking is biased; ASAp fixes it',
    text: 'Both grammar panels may only write “, there was a …” up to a full stop. Masking drops the tokens that break the pattern and renormalises the rest at each step, so it favours words whose continuations mostly break it later. ASAp draws 16 whole samples and learns from each how much probability a prefix really keeps (θ̂), so its samples approach the right distribution. Hover a token for the mass the mask removed.',
    setup: `${PAIR}&max=48&seed=1&panels=sample(temperature=1),grammar(temperature=1),grammar(asap=1;samples=16;temperature=1)&${STORY}`,
  },
  {
    id: 'superposed',
    title: 'Superposed decoding: three drafts from one forward',
    text: 'Superposed decoding feeds the model ONE blended token per step: the last tokens of three drafts, weighted by the drafts’ probabilities. An n-gram model of the pirate tales decides which draft each top token continues. With one draft and α = 0 the blend is one token, so panel 2 writes greedy’s text. Under panel 3 the drafts run side by side with their weights; hover a token for the blend W and the candidates.',
    setup: `${PAIR}&max=24&seed=0&panels=greedy,superposed(n=1;alpha=0),superposed&${STORY}`,
    expect: { sameText: [0, 1] },
  },
];
