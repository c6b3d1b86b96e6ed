// The built-in lessons (issue #12): every setup goes through the shared-link parser and the
// strategy schemas, so no lesson can carry a parameter a link could not; the lesson id round-trips
// in a link and stays in Share's link only while the form is the lesson's setup.
import { describe, expect, it } from 'vitest';
import { formIsLesson, lessonById, lessonSetup, shareStateOf } from '../../app/lesson-setup';
import { LESSONS } from '../../app/lessons';
import { checkPanels } from '../../app/panel-spec';
import { urlStateOfForm } from '../../app/share';
import { parseUrlState, serializeUrlState } from '../../app/url-state';
import type { RunForm } from '../../app/validation';
import { checkPanelParams } from '../../protocol';
import { listStrategies } from '../../strategies/registry';

const strategies = listStrategies();

function formOf(id: string): RunForm {
  const { setup } = lessonSetup(lessonById(id)!);
  return {
    prompt: setup.prompt,
    model: setup.model,
    draft: setup.draft,
    dtype: null,
    backend: 'auto',
    maxNewTokens: String(setup.maxNewTokens),
    seed: String(setup.seed),
    panels: setup.panels,
    chatTemplate: setup.chatTemplate,
    logitLens: true,
  };
}

describe('built-in lessons', () => {
  it('are at least 8, with unique link-safe ids, a title and a short text', () => {
    expect(LESSONS.length).toBeGreaterThanOrEqual(8);
    expect(new Set(LESSONS.map((l) => l.id)).size).toBe(LESSONS.length);
    for (const l of LESSONS) {
      expect(l.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(l.title.length).toBeGreaterThan(3);
      expect(l.text.length, l.id).toBeLessThanOrEqual(420);
    }
  });

  for (const lesson of LESSONS) {
    it(`${lesson.id}: its setup parses as a link, on the trained pair, with every panel valid`, () => {
      const parsed = parseUrlState(lesson.setup);
      expect(parsed.errors, lesson.id).toEqual([]);
      // Only setup fields: never starts a run, never forces a backend, never nests a lesson.
      expect(Object.keys(parsed.state).sort()).toEqual(expect.arrayContaining(['draft', 'maxNewTokens', 'model', 'panels', 'prompt', 'seed']));
      for (const f of ['run', 'backend', 'dtype', 'lesson'] as const) expect(parsed.state[f], f).toBeUndefined();
      expect(parsed.state.model).toBe('builtin:stories260k');
      expect(parsed.state.draft).toBe('builtin:stories-draft');
      const panels = parsed.state.panels!;
      expect(panels.length).toBeGreaterThanOrEqual(2);
      expect(checkPanels(panels, strategies).errors, lesson.id).toEqual([]);
      // The worker's own checker too (typed values, as the run request sends them).
      for (const [i, p] of panels.entries()) {
        const info = strategies.find((s) => s.id === p.strategy)!;
        expect(checkPanelParams(info, p.params, i).errors).toEqual([]);
      }
      for (const claim of [lesson.expect?.contains?.panel, ...(lesson.expect?.sameText ?? []), lesson.expect?.fewerTargetPasses?.fewer, lesson.expect?.fewerTargetPasses?.than]) {
        if (claim !== undefined) expect(claim).toBeLessThan(panels.length);
      }
    });
  }

  it('the issue asks for: a temperature sweep at 0.3/0.7/1.0/1.5 and greedy speculative next to greedy', () => {
    const sweep = lessonSetup(lessonById('temperature-sweep')!).setup.panels;
    expect(sweep.map((p) => p.params.temperature)).toEqual([0.3, 0.7, 1, 1.5]);
    const spec = lessonSetup(lessonById('speculative-lossless')!).setup.panels;
    expect(spec.map((p) => p.strategy)).toEqual(['greedy', 'speculative']);
    const grad = lessonSetup(lessonById('grad-corpus')!).setup.panels[1]!;
    expect(grad.params).toMatchObject({ corpusName: 'none' });
    expect(String(grad.params.corpus)).toContain('\n\n');
  });
});

describe('lesson links', () => {
  it('lesson=<id> is read; an unknown id is refused by name, the other fields still apply', () => {
    expect(parseUrlState('?lesson=temperature-sweep').state.lesson).toBe('temperature-sweep');
    const bad = parseUrlState('?lesson=nope&seed=5');
    expect(bad.state).toEqual({ seed: 5 });
    expect(bad.errors[0]!.message).toMatch(/^lesson: "nope" is not a lesson \(one of greedy-vs-sampling, /);
  });

  it('Share keeps the lesson while the form is its setup, and drops it after an edit', () => {
    const form = formOf('speculative-lossless');
    expect(formIsLesson(form, 'speculative-lossless')).toBe(true);
    expect(formIsLesson({ ...form, backend: 'wasm' }, 'speculative-lossless')).toBe(true);
    const shared = serializeUrlState(shareStateOf(form, 'speculative-lossless'));
    expect(shared.startsWith('lesson=speculative-lossless&model=builtin:stories260k&')).toBe(true);
    // The shared link opens the same setup.
    const back = parseUrlState(shared).state;
    expect(back.panels).toEqual(lessonSetup(lessonById('speculative-lossless')!).setup.panels);
    const edited = { ...form, seed: '9' };
    expect(formIsLesson(edited, 'speculative-lossless')).toBe(false);
    expect(shareStateOf(edited, 'speculative-lossless')).toEqual(urlStateOfForm(edited));
    expect(shareStateOf(form, null).lesson).toBeNull();
    expect(formIsLesson(formOf('greedy-vs-sampling'), 'speculative-lossless')).toBe(false);
  });
});
