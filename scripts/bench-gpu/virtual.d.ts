// Modules that only exist in the esbuild bundle (scripts/bench-gpu/build.ts).

declare module 'bench-gpu:row-readout-fast' {
  /**
   * kernels/reference/rowReadoutFast.ts's readRowsFast when that file exists at build time, else
   * null; main.ts checks it against readRowsCpu before timing it.
   */
  export const readRowsFast: ((data: Float32Array, src: unknown, opts: unknown) => unknown) | null;
}
