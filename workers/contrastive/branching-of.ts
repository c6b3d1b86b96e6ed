import { SequenceRunner, type TokenSequence } from '../decode/sequence';
import type { BranchingModel } from './branching';
import { RunnerBranching } from './runner-branching';

/** A BranchingModel for a panel's target: the runner itself wrapped, a test fake as is, or null. */
export function branchingOf(target: TokenSequence): BranchingModel | null {
  if (target instanceof SequenceRunner) return new RunnerBranching(target);
  const t = target as Partial<BranchingModel>;
  if (typeof t.branch === 'function' && typeof t.choose === 'function' && typeof t.prefill === 'function') return target as unknown as BranchingModel;
  return null;
}
