// Public surface of the kernel library (a leaf: imports nothing from app/ or workers/).
export type { LogitDtype, LogitRowsGpu, LogitRowsLayout, RowReadoutOptions, RowReadoutResult, RowReadoutRow, RowStats, RowTopK } from './types';
export { KernelArgumentError, NonFiniteRowError } from './errors';
export { DEFAULT_WORKGROUP_SIZE, ITEMS_PER_THREAD, MAX_K, MAX_ROW_LENGTH, MAX_ROWS, NO_TOKEN, STATS_RECORD_WORDS, topKRecordWords } from './limits';
export type { KernelOptions } from './ops/kernelOptions';
export { SoftmaxStats, parseSoftmaxStats, type SoftmaxStatsIo } from './ops/softmaxStats';
export { RowReadout } from './ops/rowReadout';
export { RowSummary, parseTopK, type RowSummaryIo } from './ops/rowSummary';
export { softmaxStatsCpu } from './reference/softmaxStats';
export { topKCpu } from './reference/topK';
export { readRowsCpu } from './reference/rowReadout';
export { f16ArrayToF32, f16BitsToF32, f32ToF16Bits } from './reference/f16';
export { LogitFusion, type LogitFusionIo } from './ops/logitFusion';
export { Sample, SAMPLE_WGSL, type KeptGpuRow, type SampleKeepIo, type SampleResidualIo } from './ops/sample';
export { SampleRow, type ResidualResult, type SampleRowRequest, type SampleRowResult } from './ops/sampleRow';
export { logitFusionCpu, type CpuRow, type FusionCpuResult } from './reference/logitFusion';
export { drawCpu, keepCpu, keptWeight, residualCpu, type KeptRow, type ResidualDraw } from './reference/sample';
export { expWeight, weightOf, WEIGHT_ONE } from './reference/sampleExp';
