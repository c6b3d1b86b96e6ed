// config.json / tokenizer_config.json sanity: vocab_size must be a positive integer agreeing with
// the ONNX logits width; tokenizer_class must name a tokenizer class.
import { describe, expect, it } from 'vitest';
import * as transformers from '@huggingface/transformers';
import { checkLogitsWidth, configVocabSize, logitWidthFor, MAX_VOCAB_SIZE } from '../../workers/model/config-check';
import { tokenizerClass } from '../../workers/model/tokenizer';
import { LogitscopeError } from '../../workers/errors';

const where = 'https://x/m/config.json';

function refused(f: () => unknown): LogitscopeError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(LogitscopeError);
    expect((e as LogitscopeError).code).toBe('model-invalid');
    return e as LogitscopeError;
  }
  throw new Error('expected a refusal');
}

describe('vocab_size', () => {
  it.each([
    [0, '0'],
    [-5, '-5'],
    [1.5, '1.5'],
    ['x', '"x"'],
    [null, 'null'],
    [[258], '[258]'],
  ])('%j is refused, naming the file, the field and the value', (value, shown) => {
    const e = refused(() => configVocabSize({ vocab_size: value }, where));
    expect(e.message).toBe(`[model-invalid] ${where}: vocab_size must be a positive integer, got ${shown}`);
  });

  it('1e9 is refused as too large', () => {
    const e = refused(() => configVocabSize({ vocab_size: 1e9 }, where));
    expect(e.message).toContain(`${where}: vocab_size must be a positive integer of at most ${MAX_VOCAB_SIZE}, got 1000000000`);
  });

  it('a positive integer is accepted; absent means "ask the graph"', () => {
    expect(configVocabSize({ vocab_size: 258 }, where)).toBe(258);
    expect(configVocabSize({ vocab_size: 151936 }, where)).toBe(151936);
    expect(configVocabSize({}, where)).toBeNull();
  });

  it('must equal a fixed ONNX logits width; padded widths and symbolic graphs are fine', () => {
    const e = refused(() => checkLogitsWidth(300, 258, where, 'https://x/m/onnx/model.onnx'));
    expect(e.message).toBe(`[model-invalid] ${where}: vocab_size must equal the logits width of https://x/m/onnx/model.onnx (258), got 300`);
    expect(() => checkLogitsWidth(320, 320, where, 'o')).not.toThrow();
    expect(() => checkLogitsWidth(320, null, where, 'o')).not.toThrow();
    expect(() => checkLogitsWidth(null, 258, where, 'o')).not.toThrow();
  });

  it('the logit width comes from the config, else the graph, else the tokenizer', () => {
    expect(logitWidthFor(320, 320, 258)).toBe(320);
    expect(logitWidthFor(null, 300, 258)).toBe(300);
    expect(logitWidthFor(null, null, 258)).toBe(258);
  });
});

describe('tokenizer_class', () => {
  const tw = 'https://x/m/tokenizer_config.json';

  it.each(['AutoModelForCausalLM', 'BertModel', 'Nope', 'AutoTokenizer', 'PreTrainedModel', 'constructor', 5])(
    '%j is refused with the file, field and value',
    (value) => {
      const e = refused(() => tokenizerClass({ tokenizer_class: value }, tw));
      expect(e.message).toBe(
        `[model-invalid] ${tw}: tokenizer_class must name a tokenizer class (such as LlamaTokenizer or PreTrainedTokenizerFast), got ${JSON.stringify(value)}`,
      );
    },
  );

  it('tokenizer classes resolve to themselves (Fast suffix dropped)', () => {
    expect(tokenizerClass({ tokenizer_class: 'LlamaTokenizerFast' }, tw)).toBe(transformers.LlamaTokenizer);
    expect(tokenizerClass({ tokenizer_class: 'Qwen2Tokenizer' }, tw)).toBe(transformers.Qwen2Tokenizer);
    expect(tokenizerClass({ tokenizer_class: 'PreTrainedTokenizerFast' }, tw)).toBe(transformers.PreTrainedTokenizer);
  });

  it('missing, null, TokenizersBackend and unknown *Tokenizer names fall back to the generic tokenizer, as AutoTokenizer does', () => {
    for (const config of [{}, { tokenizer_class: null }, { tokenizer_class: 'TokenizersBackend' }, { tokenizer_class: 'BrandNewTokenizerFast' }]) {
      expect(tokenizerClass(config, tw)).toBe(transformers.PreTrainedTokenizer);
    }
  });
});
