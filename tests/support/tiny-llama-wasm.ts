import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { writeBuiltinModelsToTemp } from '../../scripts/testmodels/write';
import type { LoadedModel } from '../../workers/model/loader';
import { ModelSession } from '../../workers/model/session';

/**
 * The built-in tiny-llama as a real ModelSession on onnxruntime-web's WASM EP in Node (one thread),
 * written to a temporary folder; `dispose` removes it. The calling test file must mock
 * `workers/runtime/ort` with `configureOrt: () => ort` (vi.mock is hoisted per file).
 */
export async function loadTinyLlamaWasm(): Promise<{ model: LoadedModel; dispose(): void }> {
  ort.env.wasm.numThreads = 1;
  const dir = writeBuiltinModelsToTemp();
  const bytes = readFileSync(join(dir, 'tiny-llama', 'onnx', 'model.onnx'));
  const session = await ModelSession.create(bytes, { backend: 'wasm', dtype: 'fp32', validVocab: 258, logitWidth: 258, where: 'tiny-llama' });
  const model = { session, source: { spec: 'builtin:tiny-llama' } } as unknown as LoadedModel;
  return { model, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
