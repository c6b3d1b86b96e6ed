/**
 * The prompt as the model's tokens (chips; id on hover and focus), from the real tokenizer in the
 * worker, re-read a moment after the prompt, the model or the chat toggle changes; the count
 * against the model's context. The last result stays shown while a new one is on its way. Nothing is
 * asked while a run loads its models (the worker then answers from the loaded model), while a
 * link's model on another host waits for the visitor's consent, or, for any model on another host
 * not yet run here (an imported record's, a typed one), before the visitor asks for it.
 */
import { useEffect, useState } from 'react';
import type { PromptTokens } from '../../protocol';
import { useWorkerClient } from '../client-context';
import { blockedByConsent, foreignModels, usePendingConsent } from '../link-consent';
import { idText } from '../token-text';
import { useAppStore } from '../store';
import { parseWorkerError } from '../worker-error';

/** Wait after the last keystroke before asking the worker (ms). */
const DEBOUNCE_MS = 300;
/** Chips drawn at most (the list is not scrolled, so an id label is never clipped); a longer prompt says how many more there are. */
const MAX_CHIPS = 200;

/** The last answer and the input it answers (`key`), so a newer input shows as still updating. */
type View = { state: 'pending'; key: null } | { state: 'ask'; key: string; host: string } | { state: 'ok'; key: string; tokens: PromptTokens; model: string } | { state: 'error'; key: string; message: string };

const NO_INDEX: ReadonlyMap<number, string> = new Map();

/** Token chips under the prompt. */
export function PromptTokensView() {
  const client = useWorkerClient();
  const prompt = useAppStore((s) => s.prompt);
  const model = useAppStore((s) => s.model.trim());
  const chat = useAppStore((s) => s.chatTemplate);
  // While a run loads its models the worker is fetching them: ask after, and get the loaded tokenizer.
  const loading = useAppStore((s) => s.runState === 'loading');
  // A link's model on another host is not contacted before the visitor allows it (app/link-consent.ts).
  const consent = usePendingConsent();
  const waitsForConsent = blockedByConsent(consent, model, null);
  // Likewise a model on another host (an imported record's, a typed one) is read only on request,
  // or once this page has run it (the worker then answers from the loaded model).
  const hub = useAppStore((s) => s.catalog?.hub);
  const foreignHost = foreignModels([model], window.location.origin, hub ? new Set(hub.map((h) => h.id)) : null)[0]?.host ?? null;
  const ranHere = useAppStore((s) => s.lastRequest?.model === model);
  const [asked, setAsked] = useState<string | null>(null);
  const needsAsk = foreignHost !== null && !ranHere && asked !== model && !waitsForConsent;
  const [view, setView] = useState<View>({ state: 'pending', key: null });
  const key = `${model}\u0000${chat ? 1 : 0}\u0000${prompt}`;
  const updating = view.key !== key;

  useEffect(() => {
    if (loading) return;
    let live = true;
    const timer = setTimeout(() => {
      if (model === '') {
        setView({ state: 'error', key, message: 'Choose a model to see how it splits the prompt into tokens.' });
        return;
      }
      if (needsAsk) {
        setView({ state: 'ask', key, host: foreignHost });
        return;
      }
      if (waitsForConsent) {
        setView({ state: 'error', key, message: 'The tokens are shown once the download of this model is allowed (see the notice at the top).' });
        return;
      }
      client.tokenize(model, prompt, chat).then(
        (tokens) => live && setView({ state: 'ok', key, tokens, model }),
        (e: unknown) => live && setView({ state: 'error', key, message: `The tokens cannot be shown: ${model} could not be loaded (${parseWorkerError(e).message})` }),
      );
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, key, model, prompt, chat, loading, waitsForConsent, needsAsk, foreignHost]);

  return (
    <div className="prompt-tokens" data-testid="prompt-tokens" data-updating={updating} aria-busy={updating} aria-label="The prompt as the model's tokens">
      {view.state === 'pending' && <p className="hint">Reading the tokenizer…</p>}
      {view.state === 'error' && (
        <p className="hint prompt-tokens-error" role="status" data-testid="prompt-tokens-error">
          {view.message}
        </p>
      )}
      {view.state === 'ask' && (
        <p className="hint" data-testid="prompt-tokens-ask">
          This model's tokenizer is on {view.host}.{' '}
          <button type="button" className="quiet" data-testid="prompt-tokens-read" onClick={() => setAsked(model)}>
            Show the tokens (reads its tokenizer from {view.host})
          </button>
        </p>
      )}
      {view.state === 'ok' && <TokenChips tokens={view.tokens} model={view.model} />}
    </div>
  );
}

function TokenChips({ tokens, model }: { tokens: PromptTokens; model: string }) {
  const { ids, texts, context } = tokens;
  const over = context !== null && ids.length > context;
  return (
    <>
      <p className={over ? 'hint prompt-tokens-count over' : 'hint prompt-tokens-count'} data-testid="prompt-token-count">
        {ids.length} {ids.length === 1 ? 'token' : 'tokens'}
        {context !== null ? ` of ${model}'s context of ${context}` : ` (${model} names no context length)`}
        {over ? ': too long, shorten the prompt' : ''}
      </p>
      <ol className="prompt-token-chips">
        {ids.slice(0, MAX_CHIPS).map((id, i) => {
          const shown = idText(NO_INDEX, id, texts[i] ?? '');
          return (
            <li key={i} className="prompt-token" tabIndex={0} data-id={id} title={`id ${id}`} aria-label={`token ${i + 1}: ${shown}, id ${id}`}>
              {shown}
            </li>
          );
        })}
      </ol>
      {ids.length > MAX_CHIPS && <p className="hint">…and {ids.length - MAX_CHIPS} more tokens</p>}
    </>
  );
}
