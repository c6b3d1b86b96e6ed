import { describe, expect, it } from 'vitest';
import { ModelPool } from '../../workers/model/pool';

/** A model stand-in: the pool only loads, orders and releases. */
interface Fake {
  key: string;
}

function setup(capacity = 2) {
  const released: string[] = [];
  const loads: string[] = [];
  const pool = new ModelPool<Fake>(capacity, async (m) => void released.push(m.key));
  const get = (key: string) =>
    pool.get(key, async () => {
      loads.push(key);
      return { key };
    });
  return { pool, get, released, loads };
}

describe('ModelPool', () => {
  it('keeps at most two models, unloading the least recently used before loading another', async () => {
    const t = setup();
    await t.get('a');
    await t.get('b');
    await t.get('a'); // a is now the most recent
    await t.get('c');
    expect(t.released).toEqual(['b']);
    expect(t.pool.keys()).toEqual(['a', 'c']);
    expect(t.loads).toEqual(['a', 'b', 'c']);
  });

  it('releases the evicted model before the new one loads', async () => {
    const t = setup(1);
    await t.get('a');
    const order: string[] = [];
    await t.pool.get('b', async () => {
      order.push(`load b after release of [${t.released.join(',')}]`);
      return { key: 'b' };
    });
    expect(order).toEqual(['load b after release of [a]']);
  });

  it('never unloads a pinned model (a run in progress, a speculative pair): a pair of a run is kept whole', async () => {
    const t = setup();
    await t.get('old');
    t.pool.pin('target');
    await t.get('target');
    t.pool.pin('draft');
    await t.get('draft');
    expect(t.released).toEqual(['old']);
    // A third model while both are pinned exceeds the capacity rather than split the pair.
    await t.get('third');
    expect(t.pool.keys()).toEqual(['target', 'draft', 'third']);
    t.pool.unpin('target');
    t.pool.unpin('draft');
    await t.get('fourth');
    expect(t.released).toEqual(['old', 'target', 'draft']);
    expect(t.pool.keys()).toEqual(['third', 'fourth']);
  });

  it('a failed load is forgotten and holds nothing; a model removed while loading is released when it arrives', async () => {
    const t = setup();
    await expect(t.pool.get('bad', () => Promise.reject(new Error('no such model')))).rejects.toThrow('no such model');
    expect(t.pool.keys()).toEqual([]);
    let arrive: (m: Fake) => void = () => undefined;
    const pending = t.pool.get('slow', () => new Promise<Fake>((r) => (arrive = r)));
    await Promise.resolve();
    const cleared = t.pool.clear();
    arrive({ key: 'slow' });
    await pending;
    await cleared;
    expect(t.released).toEqual(['slow']);
    expect(t.pool.keys()).toEqual([]);
  });

  it('peek gives a resident or loading model without changing which one is least recently used', async () => {
    const t = setup();
    await t.pool.get('a', async () => ({ key: 'a' }));
    await t.pool.get('b', async () => ({ key: 'b' }));
    expect(await t.pool.peek('a')).toEqual({ key: 'a' });
    expect(t.pool.peek('zzz')).toBeUndefined();
    expect(t.pool.keys()).toEqual(['a', 'b']);
  });
});
