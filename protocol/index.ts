/**
 * The protocol both sides share at runtime (docs/architecture.md#worker-contract): constants, the
 * request, the parameter schema and its one checker, the run record with its typed annotations, and
 * the comlink worker API. It imports nothing from app/, workers/ or React.
 */
export * from './annotations';
export * from './app-update';
export * from './api';
export * from './backend-choice';
export * from './constants';
export * from './lab';
export * from './params';
export * from './record';
export * from './request';
