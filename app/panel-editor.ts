/**
 * Editing the panel list (pure): add, remove, duplicate, move, change strategy or one parameter.
 * Each panel carries a key that survives edits and moves, so a card keeps showing its own tokens
 * when other panels move; lists replaced wholesale (URL, API, import) get fresh keys.
 */
import type { PanelSpec, ParamValue, StrategyInfo } from '../protocol';

/** Panels and their keys, parallel arrays. */
export interface KeyedPanels {
  panels: PanelSpec[];
  keys: string[];
}

let counter = 0;

/** A key no other panel of this page has. */
export function newPanelKey(): string {
  counter += 1;
  return `panel-${counter}`;
}

/** Fresh keys for a list of panels. */
export function freshKeys(panels: readonly PanelSpec[]): string[] {
  return panels.map(() => newPanelKey());
}

/**
 * Keys for `next` replacing `list`: a panel whose spec is unchanged at the same position keeps its
 * key (so what it shows stays on screen), every other panel gets a fresh one.
 */
export function keysAfterReplace(list: KeyedPanels, next: readonly PanelSpec[]): string[] {
  return next.map((p, i) => {
    const old = list.panels[i];
    const key = list.keys[i];
    return old && key !== undefined && JSON.stringify(old) === JSON.stringify(p) ? key : newPanelKey();
  });
}

function checkIndex(list: KeyedPanels, index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= list.panels.length)
    throw new RangeError(`panel index must be 0..${list.panels.length - 1}, got ${index}`);
}

/** Appends a panel running `strategy` with default parameters. */
export function addPanel(list: KeyedPanels, strategy: string, key = newPanelKey()): KeyedPanels {
  return { panels: [...list.panels, { strategy, params: {} }], keys: [...list.keys, key] };
}

/** Removes the panel at `index`. */
export function removePanel(list: KeyedPanels, index: number): KeyedPanels {
  checkIndex(list, index);
  return { panels: list.panels.filter((_, i) => i !== index), keys: list.keys.filter((_, i) => i !== index) };
}

/** Inserts a copy (same strategy and parameters, new key) right after the panel at `index`. */
export function duplicatePanel(list: KeyedPanels, index: number, key = newPanelKey()): KeyedPanels {
  checkIndex(list, index);
  const src = list.panels[index]!;
  const panels = [...list.panels];
  const keys = [...list.keys];
  panels.splice(index + 1, 0, { strategy: src.strategy, params: { ...src.params } });
  keys.splice(index + 1, 0, key);
  return { panels, keys };
}

/** Moves the panel at `index` by `delta` places (clamped to the list). */
export function movePanel(list: KeyedPanels, index: number, delta: number): KeyedPanels {
  checkIndex(list, index);
  const to = Math.max(0, Math.min(list.panels.length - 1, index + delta));
  if (to === index) return list;
  const panels = [...list.panels];
  const keys = [...list.keys];
  const [p] = panels.splice(index, 1);
  const [k] = keys.splice(index, 1);
  panels.splice(to, 0, p!);
  keys.splice(to, 0, k!);
  return { panels, keys };
}

/**
 * Switches a panel's strategy. Parameters the new strategy also has (same name and a value its
 * schema accepts the type of) are kept, the rest dropped, so temperature survives greedy → sample.
 */
export function changeStrategy(list: KeyedPanels, index: number, strategy: StrategyInfo): KeyedPanels {
  checkIndex(list, index);
  const old = list.panels[index]!;
  const params: Record<string, ParamValue> = {};
  for (const [name, value] of Object.entries(old.params)) {
    const schema = strategy.params.find((p) => p.name === name);
    if (schema && typeof value === typeof schema.default) params[name] = value;
  }
  const panels = list.panels.map((p, i) => (i === index ? { strategy: strategy.id, params } : p));
  return { panels, keys: list.keys };
}

/** Sets one parameter (undefined removes it, so the default applies). */
export function setParam(list: KeyedPanels, index: number, name: string, value: ParamValue | undefined): KeyedPanels {
  checkIndex(list, index);
  const panels = list.panels.map((p, i) => {
    if (i !== index) return p;
    const params = { ...p.params };
    if (value === undefined) delete params[name];
    else params[name] = value;
    return { strategy: p.strategy, params };
  });
  return { panels, keys: list.keys };
}

/** A panel's parameters with every schema default filled in (unknown names kept as they are). */
export function withDefaults(spec: PanelSpec, info: StrategyInfo | null): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const p of info?.params ?? []) out[p.name] = p.default;
  return { ...out, ...spec.params };
}

/** True when two panels run the same strategy with the same effective parameters. */
export function sameEffectiveSpec(a: PanelSpec, b: PanelSpec, info: StrategyInfo | null): boolean {
  if (a.strategy !== b.strategy) return false;
  const x = withDefaults(a, info);
  const y = withDefaults(b, info);
  const names = new Set([...Object.keys(x), ...Object.keys(y)]);
  for (const n of names) if (x[n] !== y[n]) return false;
  return true;
}

/** The parameters that differ from their schema default (what a panel title needs to show). */
export function changedParams(spec: PanelSpec, info: StrategyInfo | null): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const [name, value] of Object.entries(spec.params)) {
    const schema = info?.params.find((p) => p.name === name);
    if (!schema || schema.default !== value) out[name] = value;
  }
  return out;
}
