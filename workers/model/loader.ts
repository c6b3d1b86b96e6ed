import { LogitscopeError } from '../errors';
import type { Backend, Dtype, LoadProgress } from '../../protocol';
import { checkGraphRuns, dtypeNeedsF16, f16Runs, factsFromScan, type GraphFacts } from './capabilities';
import { CATALOG_EXTERNAL_DATA, catalogDtypes, catalogEntry } from './catalog';
import { checkLogitsWidth, configVocabSize, logitWidthFor } from './config-check';
import { DownloadTracker } from './download-progress';
import { chooseDtype, externalDataFiles, externalDataInListing, missingDtypeError, presentDtypes } from './dtype';
import { parseModelJson } from './fetch-file';
import { HttpFiles, type ModelFiles } from './files';
import { onnxLayout, splitFilesFor } from './layout';
import { dtypesInListing, type LocalFolders } from './local-folders';
import { scanOnnx } from './onnx-scan';
import { ModelSession } from './session';
import { onnxFileFor, resolveSource, type ModelSource } from './source';
import { TextTokenizer } from './tokenizer';

/** A model ready to decode: its session, tokenizer and where it came from. */
export interface LoadedModel {
  source: ModelSource;
  dtype: Dtype;
  backend: Backend;
  config: Record<string, unknown>;
  tokenizer: TextTokenizer;
  session: ModelSession;
}

const DECODER_TYPES = new Set(['llama', 'qwen2', 'qwen3', 'mistral', 'phi3', 'gemma', 'gemma2', 'gemma3_text', 'granite', 'olmo', 'olmo2', 'smollm3', 'gpt2', 'gpt_neox', 'stablelm', 'starcoder2']);

/** Options for loading one model. */
export interface LoadOptions {
  dtype: Dtype | undefined;
  backend: Backend;
  shaderF16: boolean;
  origin: string;
  onProgress: (p: LoadProgress) => void;
  /** Cancels the downloads (a `cancelled` error). */
  signal?: AbortSignal;
  /** Folders registered for `local:<name>` specs. */
  localFolders?: LocalFolders;
}

const JSON_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json'];
const ONNX_PLACEHOLDER = 'onnx/';

/** Check that config.json describes a decoder-only model we can drive. */
function checkArchitecture(config: Record<string, unknown>, url: string): void {
  const type = typeof config.model_type === 'string' ? config.model_type : '';
  const archs = Array.isArray(config.architectures) ? config.architectures.map(String) : [];
  const causal = archs.some((a) => a.endsWith('ForCausalLM'));
  if (config.is_encoder_decoder === true || (!causal && !DECODER_TYPES.has(type))) {
    throw new LogitscopeError(
      'model-invalid',
      `${url} describes model_type ${JSON.stringify(type)} (${archs.join(', ') || 'no architectures'}), which is not a supported decoder-only language model`,
    );
  }
}

function eosFrom(gen: Record<string, unknown> | null, config: Record<string, unknown>): number[] {
  const ids: number[] = [];
  for (const v of [gen?.eos_token_id, config.eos_token_id]) {
    if (typeof v === 'number') ids.push(v);
    else if (Array.isArray(v)) ids.push(...v.filter((x): x is number => typeof x === 'number'));
  }
  return ids;
}

function filesFor(source: ModelSource, folders: LocalFolders | undefined): ModelFiles {
  if (source.kind === 'local') {
    if (!folders) throw new LogitscopeError('model-not-found', `${source.spec}: no local folders are registered`);
    return folders.files(source.spec.slice('local:'.length));
  }
  // Built-ins are app files (the service worker caches them); other folders go through the model cache.
  return new HttpFiles(source.baseUrl, source.kind !== 'builtin');
}

/** Refuse early, naming the files, when offline and the model is not fully on this device. */
async function checkOffline(files: ModelFiles, spec: string, names: string[]): Promise<void> {
  const missing = await files.missingOffline(names);
  if (missing.length > 0) {
    throw new LogitscopeError('model-not-found', `You are offline and ${spec} is not on this device (missing ${missing.join(', ')}); it is unavailable until you are online`);
  }
}

/** Everything read for one load: the source, its files, progress and cancellation. */
interface Job {
  spec: string;
  files: ModelFiles;
  tracker: DownloadTracker;
  signal: AbortSignal;
}

async function readBytes(job: Job, name: string): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = await job.files.read(name, (l, t, c) => job.tracker.update(name, l, t, c), job.signal);
  job.tracker.finish(name);
  return bytes;
}

async function readJson(job: Job, name: string, optional = false): Promise<Record<string, unknown> | null> {
  try {
    return parseModelJson(await readBytes(job, name), job.files.where(name));
  } catch (e) {
    if (!(e instanceof LogitscopeError) || e.code !== 'model-not-found') throw e;
    if (optional) {
      job.tracker.skip(name);
      return null;
    }
    const detail = e.message.replace(/^\[[a-z-]+\]\s*/, '');
    if (name === 'config.json') throw new LogitscopeError('model-not-found', `${job.spec} is not a model folder: config.json is missing (${detail})`);
    throw new LogitscopeError('model-not-found', `${job.spec} has no ${name} (${detail})`);
  }
}

async function readTokenizer(job: Job, config: Record<string, unknown>): Promise<TextTokenizer> {
  const where = job.files.where('tokenizer.json');
  let tokJson: Record<string, unknown>;
  let tokConfig: Record<string, unknown>;
  try {
    tokJson = (await readJson(job, 'tokenizer.json'))!;
    tokConfig = (await readJson(job, 'tokenizer_config.json'))!;
  } catch (e) {
    if (e instanceof LogitscopeError && e.code === 'model-invalid') {
      throw new LogitscopeError('model-invalid', `The tokenizer of ${job.spec} is unreadable: ${e.message.replace(/^\[[a-z-]+\]\s*/, '')}`);
    }
    throw e;
  }
  const gen = await readJson(job, 'generation_config.json', true);
  return TextTokenizer.create(tokJson, tokConfig, eosFrom(gen, config), where, job.files.where('tokenizer_config.json'));
}

/** dtypes the source is known to offer (local listing, catalog), or null when it must be probed. */
function knownDtypes(source: ModelSource, files: ModelFiles): Dtype[] | null {
  const listing = files.list();
  if (listing) return dtypesInListing(listing);
  const entry = source.kind === 'hub' ? catalogEntry(source.spec) : undefined;
  return entry ? catalogDtypes(entry) : null;
}

function externalHint(source: ModelSource, files: ModelFiles, dtype: Dtype): number {
  const listing = files.list();
  if (listing) return externalDataInListing(listing, dtype);
  return source.kind === 'hub' ? (CATALOG_EXTERNAL_DATA[source.spec]?.[dtype] ?? 0) : 0;
}

/** The single graph's bytes, or null when it is missing but the split-embedding decoder is there. */
async function readOnnx(job: Job, dtype: Dtype, known: Dtype[] | null): Promise<Uint8Array<ArrayBuffer> | null> {
  const name = onnxFileFor(dtype);
  try {
    return await readBytes(job, name);
  } catch (e) {
    if (!(e instanceof LogitscopeError) || e.code !== 'model-not-found' || /offline/.test(e.message)) throw e;
    if (await job.files.exists(splitFilesFor(dtype).decoder, job.signal)) return null;
    const present = await presentDtypes({ available: known, probe: (f) => job.files.exists(f, job.signal) });
    throw missingDtypeError(dtype, job.files.where(''), present.filter((d) => d !== dtype));
  }
}

/** What the graph checks need besides the graph: the device, the config and where things are. */
interface GraphCheck {
  f16Runs: boolean;
  dtype: Dtype;
  vocabSize: number | null;
  configWhere: string;
  onnxWhere: string;
  /** Other dtypes present that may run here, asked only when refusing. */
  alternatives: () => Promise<Dtype[]>;
}

/** Refuse a graph that cannot run on this device or disagrees with config.json. */
async function checkGraph(facts: GraphFacts, c: GraphCheck): Promise<void> {
  await checkGraphRuns(facts, { f16Runs: c.f16Runs, where: c.onnxWhere, dtype: c.dtype, alternatives: c.alternatives });
  checkLogitsWidth(c.vocabSize, facts.logitsWidth, c.configWhere, c.onnxWhere);
}

/** Fetch config, tokenizer and ONNX file(s) of a model (with progress) and open its session. */
export async function loadModel(spec: string, opts: LoadOptions): Promise<LoadedModel> {
  const source = resolveSource(spec, opts.origin);
  const files = filesFor(source, opts.localFolders);
  const job: Job = { spec, files, tracker: new DownloadTracker(spec, [...JSON_FILES, ONNX_PLACEHOLDER], opts.onProgress), signal: opts.signal ?? new AbortController().signal };
  await checkOffline(files, spec, ['config.json', 'tokenizer.json', 'tokenizer_config.json']);
  const config = (await readJson(job, 'config.json'))!;
  const configWhere = files.where('config.json');
  checkArchitecture(config, configWhere);
  const vocabSize = configVocabSize(config, configWhere);
  const tokenizer = await readTokenizer(job, config);
  const known = knownDtypes(source, files);
  const probe = (f: string) => files.exists(f, job.signal);
  const runsF16 = f16Runs(opts.backend, opts.shaderF16);
  const dtype = await chooseDtype({ requested: opts.dtype ?? null, config, shaderF16: opts.shaderF16, f16Runs: runsF16, available: known, probe, where: files.where('') });
  let layout = onnxLayout(dtype, files.list());
  // External data is read for the single-graph layout (split exports keep their weights inline).
  let dataNames = layout.embed ? [] : externalDataFiles(config, dtype, externalHint(source, files, dtype));
  job.tracker.rename(ONNX_PLACEHOLDER, [...(layout.embed ? [layout.embed] : []), layout.decoder, ...dataNames]);
  await checkOffline(files, spec, [layout.decoder, ...dataNames]);
  let bytes = layout.embed ? null : await readOnnx(job, dtype, known);
  if (!bytes) {
    if (!layout.embed) {
      // No single graph over HTTP, but a split-embedding pair: read that instead.
      const from = layout.decoder;
      layout = splitFilesFor(dtype);
      dataNames = [];
      job.tracker.rename(from, [layout.embed!, layout.decoder]);
    }
    await checkOffline(files, spec, [layout.embed!, layout.decoder]);
    bytes = await readBytes(job, layout.decoder);
  }
  const onnxName = layout.decoder;
  const embed = layout.embed ? await readBytes(job, layout.embed) : null;
  const alternatives = async () => (await presentDtypes({ available: known, probe })).filter((d) => d !== dtype && !dtypeNeedsF16(d));
  const check: GraphCheck = { f16Runs: runsF16, dtype, vocabSize, configWhere, onnxWhere: files.where(onnxName), alternatives };
  // The graph is judged before ORT compiles it (no external data needed for that), then again by
  // ORT's own metadata, for graphs our scan could not read.
  const scanned = scanOnnx(bytes);
  const scannedFacts = scanned ? factsFromScan(scanned) : null;
  if (scannedFacts) await checkGraph(scannedFacts, check);
  const embedScan = embed ? scanOnnx(embed) : null;
  if (embedScan) await checkGraphRuns(factsFromScan(embedScan), { f16Runs: runsF16, where: files.where(layout.embed!), dtype, alternatives });
  const externalData: { path: string; data: Uint8Array }[] = [];
  for (const name of dataNames) externalData.push({ path: name.slice('onnx/'.length), data: await readBytes(job, name) });
  job.tracker.stage(onnxName, 'compiling');
  const logitWidth = logitWidthFor(vocabSize, scannedFacts?.logitsWidth ?? null, tokenizer.size);
  const session = await createSession(bytes, { backend: opts.backend, dtype, validVocab: Math.min(tokenizer.size, logitWidth), logitWidth, where: check.onnxWhere, externalData, embed: embed && { bytes: embed, where: files.where(layout.embed!) } }, spec);
  try {
    await checkGraph(session.graphFacts(), check);
  } catch (e) {
    await session.release().catch(() => undefined);
    throw e;
  }
  const superposed = superposedGraphName(config, dtype);
  if (superposed) {
    // Read on first use; a cached folder then keeps it with the rest.
    const read = async () => {
      const bytes = await files.read(superposed, () => undefined, new AbortController().signal);
      await files.commit();
      return bytes;
    };
    session.setSuperposedSource({ read, where: files.where(superposed) });
  }
  // Only a folder that loaded and checked out enters the model cache (never half a folder).
  await files.commit();
  job.tracker.stage(onnxName, 'done');
  return { source, dtype, backend: opts.backend, config, tokenizer, session };
}

/**
 * The superposed-input variant graph config.json names (`logitscope.superposedGraph`: llama2.c imports
 * and the built-in trained models, fp32 only), or null.
 */
function superposedGraphName(config: Record<string, unknown>, dtype: Dtype): string | null {
  const own = config.logitscope;
  if (dtype !== 'fp32' || typeof own !== 'object' || own === null) return null;
  const name = (own as Record<string, unknown>).superposedGraph;
  return typeof name === 'string' && /^onnx\/[\w.-]+\.onnx$/.test(name) ? name : null;
}

/** A model's tokenizer and config, read without its ONNX graph (the prompt's token view). */
export interface LoadedTokenizer {
  tokenizer: TextTokenizer;
  config: Record<string, unknown>;
}

/**
 * Read only config.json and the tokenizer files of `spec` (no graph, no session): enough to show a
 * prompt as the model's tokens. Progress is not reported (the files are small).
 */
export async function loadTokenizer(spec: string, opts: Pick<LoadOptions, 'origin' | 'localFolders' | 'signal'>): Promise<LoadedTokenizer> {
  const source = resolveSource(spec, opts.origin);
  const files = filesFor(source, opts.localFolders);
  const job: Job = { spec, files, tracker: new DownloadTracker(spec, JSON_FILES, () => undefined), signal: opts.signal ?? new AbortController().signal };
  await checkOffline(files, spec, ['config.json', 'tokenizer.json', 'tokenizer_config.json']);
  const config = (await readJson(job, 'config.json'))!;
  checkArchitecture(config, files.where('config.json'));
  return { tokenizer: await readTokenizer(job, config), config };
}

/** What to try after running out of memory with `dtype`: a smaller dtype while one exists, else a smaller model. */
export function outOfMemoryAdvice(dtype: Dtype): string {
  return dtype === 'q4' || dtype === 'q4f16' ? 'Try a smaller model.' : 'Try a smaller dtype (q4 or q4f16) or a smaller model.';
}

async function createSession(bytes: Uint8Array, opts: Parameters<typeof ModelSession.create>[1], spec: string): Promise<ModelSession> {
  try {
    return await ModelSession.create(bytes, opts);
  } catch (e) {
    if (e instanceof LogitscopeError && e.code === 'out-of-memory') {
      throw new LogitscopeError('out-of-memory', `Out of memory while loading ${spec} (${opts.dtype}): ${e.message.replace(/^\[[a-z-]+\]\s*/, '')}. ${outOfMemoryAdvice(opts.dtype)}`);
    }
    throw e;
  }
}
