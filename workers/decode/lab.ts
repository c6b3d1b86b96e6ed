/**
 * The logit lab of step mode (protocol/lab.ts, docs/step-mode.md). When a panel's step is taken in
 * step mode, every row its strategy processes through processRow(s) is processed again, once per
 * stage of the chain that applies to it (raw softmax → the input processors → contrast → sparse term
 * → temperature → each warper that is on), with the same kernels and the same options cut after that
 * stage, reporting the processed probabilities of up to 16 candidate ids and how many ids each stage
 * kept. On WebGPU that is two extra submits per row and a few hundred bytes read back; the row never
 * leaves the device. Nothing here consumes the panel's random stream or changes its caches, so a
 * stepped run emits the same tokens as one run straight through.
 */
import { PROCESSORS } from '../../kernels/processors';
import { WARPERS } from '../../kernels/warpers';
import { warperValue } from '../../kernels/warpers/warper';
import { LAB_MAX_ROWS, type LabStage } from '../../protocol';
import { GREEDY_CHAIN, type ChainParams } from '../processors/chain';
import { mirostatOn } from '../processors/mirostat';
import type { ProcessedRow, ProcessRowOptions, ProcessRowsItem } from './fusion';
import { MAX_TOKEN_PROBS } from './fusion-validate';

/** A lab row before its candidates are given their text (the loop does that). */
export interface LabRowIds {
  model: 'target' | 'draft';
  candidates: number[];
  stages: LabStage[];
  chosen: number;
  sampled: boolean;
  uniform: number | null;
  source: 'chain' | 'record';
}

/** One panel's lab for the step in progress; `enabled` is set by the loop for the steps taken in step mode. */
export class LabLog {
  enabled = false;
  rows: LabRowIds[] = [];
  truncated = false;

  /** Empties the log for the next step. */
  reset(enabled: boolean): void {
    this.enabled = enabled;
    this.rows = [];
    this.truncated = false;
  }
}

/** What a runner carries when its rows are recorded: the panel's log and which model it runs. */
export interface LabTag {
  log: LabLog;
  model: 'target' | 'draft';
}

/** Candidate ids of a lab row: the chosen id, then the final and the raw distribution's top ids by rank, at most MAX_TOKEN_PROBS. */
export function labCandidates(chosen: number, processedTop: readonly number[], rawTop: readonly number[]): number[] {
  const out: number[] = [chosen];
  for (let i = 0; out.length < MAX_TOKEN_PROBS && (i < processedTop.length || i < rawTop.length); i++) {
    for (const id of [processedTop[i], rawTop[i]]) {
      if (id !== undefined && !out.includes(id) && out.length < MAX_TOKEN_PROBS) out.push(id);
    }
  }
  return out;
}

/** A stage: its id and label, and the options that cut the row's processing right after it. */
export interface StagePlan {
  id: string;
  label: string;
  opts: ProcessRowOptions;
}

const fmt = (v: number) => String(Math.round(v * 1000) / 1000);

/**
 * The stages that apply to a row processed with `opts` (whose choice was a draw when `sampled`),
 * each as the options that stop after it. The last one's distribution is the one the choice came from.
 */
export function stagePlan(opts: ProcessRowOptions, sampled: boolean): StagePlan[] {
  const c = opts.chain;
  const chain: ChainParams = { ...GREEDY_CHAIN };
  let contrast: ProcessRowOptions['contrast'];
  let sparse: ProcessRowOptions['sparse'];
  let allow: ProcessRowOptions['allow'];
  let sampling = false;
  const plans: StagePlan[] = [];
  const push = (id: string, label: string) =>
    plans.push({
      id,
      label,
      opts: {
        chain: { ...chain },
        history: opts.history,
        uniform: sampling ? opts.uniform : null,
        ...(contrast && { contrast }),
        ...(sparse && { sparse }),
        ...(allow && { allow }),
        ...(opts.mirostatMu !== undefined && { mirostatMu: opts.mirostatMu }),
        k: 1,
      },
    });
  push('raw', 'raw softmax');
  if (opts.allow) {
    // The grammar's allow-bitmask applies before everything else (strategies/grammar).
    allow = opts.allow;
    push('allow', 'grammar mask (allowed tokens only)');
  }
  const processors = (phase: 'input' | 'output') => {
    for (const p of PROCESSORS) {
      if (p.phase !== phase) continue;
      const v = c[p.param.name] as number | undefined;
      if (p.samplingOnly) {
        if (!sampled) continue;
        // Temperature: from here on the row is a sampling distribution (the warpers apply).
        sampling = true;
        (chain as Record<string, number>)[p.param.name] = v ?? p.param.default;
        if (v === undefined || p.isOff(v)) continue;
      } else {
        if (v === undefined || p.isOff(v)) continue;
        (chain as Record<string, number>)[p.param.name] = v;
      }
      push(p.param.name, `${p.param.label.toLowerCase()} ${fmt(v)}`);
    }
  };
  processors('input');
  if (opts.contrast) {
    contrast = opts.contrast;
    push('contrast', opts.contrast.form === 'logit' ? `contrast (β ${fmt(opts.contrast.beta)}, α ${fmt(opts.contrast.alpha)})` : `contrast (α ${fmt(opts.contrast.alpha)})`);
  }
  if (opts.sparse) {
    sparse = opts.sparse;
    push('sparse', 'sparse term');
  }
  processors('output');
  if (sampled && mirostatOn(c) && opts.mirostatMu !== undefined) {
    // Mirostat v2 replaces the warpers (they are skipped): one stage, keep −log2 p ≤ μ.
    sampling = true;
    (chain as Record<string, number>).mirostatTau = c.mirostatTau!;
    (chain as Record<string, number>).mirostatEta = c.mirostatEta ?? 0.1;
    push('mirostat', `mirostat μ=${fmt(opts.mirostatMu)} bits (τ ${fmt(c.mirostatTau!)})`);
  } else if (sampled) {
    sampling = true;
    for (const w of WARPERS) {
      const v = warperValue(c, w);
      if (v === w.param.default) continue;
      (chain as Record<string, number>)[w.param.name] = v;
      push(w.param.name, `${w.param.label.toLowerCase()} ${fmt(v)}`);
    }
  }
  return plans;
}

/**
 * Records the lab rows of a processRows call that just ran (`results` for `items`), computing with
 * `run` (the same backend's processRows, whose readback is not counted as the panel's).
 */
export async function recordLab(tag: LabTag, items: readonly ProcessRowsItem[], results: readonly ProcessedRow[], run: (items: ProcessRowsItem[]) => Promise<ProcessedRow[]>): Promise<void> {
  const log = tag.log;
  for (let i = 0; i < items.length; i++) {
    if (log.rows.length >= LAB_MAX_ROWS) {
      log.truncated = true;
      return;
    }
    const item = items[i]!;
    const result = results[i]!;
    const [wide] = await run([{ row: item.row, opts: { ...item.opts, keep: false, tokenIds: [], k: MAX_TOKEN_PROBS } }]);
    const candidates = labCandidates(result.id, wide!.processedTop.ids, wide!.raw.topIds);
    const plans = stagePlan(item.opts, result.sampled);
    const rows = await run(plans.map((p) => ({ row: item.row, opts: { ...p.opts, tokenIds: candidates } })));
    log.rows.push({
      model: tag.model,
      candidates,
      stages: plans.map((p, s) => ({ id: p.id, label: p.label, probs: rows[s]!.tokenProcessedProbs, kept: rows[s]!.kept })),
      chosen: result.id,
      sampled: result.sampled,
      uniform: result.sampled ? item.opts.uniform : null,
      source: 'chain',
      ...(item.opts.labLabel !== undefined && { label: item.opts.labLabel }),
    });
  }
}
