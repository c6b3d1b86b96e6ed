import type { ParamSchema } from '../../../protocol';

/** Longest chain a draft-free iteration verifies (the verification forward has L + 1 rows). */
export const MAX_CHAIN = 16;

/** The chain length L both draft-free methods take; `help` says how the method drafts it. */
function chainLength(help: string): ParamSchema {
  return { name: 'k', label: 'Chain length L', type: 'integer', default: 8, min: 0, max: MAX_CHAIN, help };
}

/** Token recycling's own parameters (the processor chain's are added beside them). */
export const RECYCLING_PARAMS: ParamSchema[] = [
  chainLength('Tokens drafted per iteration by following the adjacency matrix (d₁ = A[x][0], dᵢ = A[dᵢ₋₁][0]); 0 drafts nothing (plain target steps).'),
];

/** ADED's own parameters. */
export const ADED_PARAMS: ParamSchema[] = [chainLength('Most tokens drafted per iteration from the tri-gram / bigram counts (fewer when a row is empty); 0 drafts nothing.')];
