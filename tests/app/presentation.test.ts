// Presentation mode in the store and in shared links: mode=present turns it on and folds the
// settings; the toggle does the same and undoes it; Share keeps it in the link.
import { describe, expect, it } from 'vitest';
import { shareUrl } from '../../app/share';
import { createAppStore } from '../../app/store';
import { parseUrlState } from '../../app/url-state';

const noFrames = () => () => undefined;
const where = { origin: 'http://127.0.0.1:4173', pathname: '/' };

describe('presentation mode', () => {
  it('mode=present in the URL opens presentation mode with the settings folded; other links leave it off', () => {
    const store = createAppStore(noFrames);
    store.getState().urlStateLoaded(parseUrlState('?max=5').state, []);
    expect(store.getState()).toMatchObject({ presentation: false, settingsCollapsed: false });
    const url = parseUrlState('?mode=present&max=5');
    store.getState().urlStateLoaded(url.state, url.errors);
    expect(store.getState()).toMatchObject({ presentation: true, settingsCollapsed: true, maxNewTokens: '5' });
  });

  it('the toggle folds the settings on entry and unfolds them on exit; folding alone leaves the mode', () => {
    const store = createAppStore(noFrames);
    const s = () => store.getState();
    s().settingsToggled(true);
    expect(s()).toMatchObject({ presentation: false, settingsCollapsed: true });
    s().settingsToggled(false);
    s().presentationToggled(true);
    expect(s()).toMatchObject({ presentation: true, settingsCollapsed: true });
    s().settingsToggled(false);
    expect(s()).toMatchObject({ presentation: true, settingsCollapsed: false });
    s().presentationToggled(false);
    expect(s()).toMatchObject({ presentation: false, settingsCollapsed: false });
  });

  it('enlarging names a panel by key, which survives moves; null restores', () => {
    const store = createAppStore(noFrames);
    const s = () => store.getState();
    s().panelAdded('sample');
    const key = s().panelKeys[1]!;
    s().panelEnlarged(key);
    s().panelMoved(1, -1);
    expect(s().panelKeys.indexOf(s().enlargedPanel!)).toBe(0);
    s().panelEnlarged(null);
    expect(s().enlargedPanel).toBeNull();
  });

  it('Share writes mode=present only while presentation mode is on, and the link parses back to it', () => {
    const store = createAppStore(noFrames);
    expect(shareUrl(store.getState(), where)).not.toContain('mode=');
    const link = shareUrl(store.getState(), where, ['present']);
    expect(link).toMatch(/&mode=present$/);
    expect(parseUrlState(new URL(link).search).state.modes).toEqual(['present']);
  });
});
