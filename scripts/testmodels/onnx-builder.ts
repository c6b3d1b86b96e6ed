// The ONNX graph builder lives in workers/onnx/ (the worker writes llama2.c imports with it); this
// re-export keeps the test-model generator's imports stable.
export { DType, GraphBuilder, IR_VERSION, OPSET, type AttrValue, type Dim, type DTypeCode } from '../../workers/onnx/graph-builder';
