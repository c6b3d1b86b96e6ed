/**
 * A shared link can name a model on any host. Opening it must not make the visitor's browser
 * download from that host (nor even contact it, which would tell the host the visitor's address)
 * until the visitor agrees: models that are neither built-in, nor picked in this page, nor served by
 * this app's own origin, nor in the curated Hub catalog wait for a "Download" click. The sizes of
 * such models are unknown before anything is fetched; the worker refuses files over its per-file
 * limits while downloading (workers/model/fetch-file.ts).
 */
import { externalValue } from './external-value';
import { checkModelSpec } from './model-spec';

/** One model a link asks to download, and from where. */
export interface ForeignModel {
  spec: string;
  host: string;
}

/** A link's request waiting for the visitor's answer. */
export interface LinkConsent {
  models: ForeignModel[];
  /** The link asked to run at once (`run=1`): "Download and run". */
  run: boolean;
}

const pending = externalValue<LinkConsent | null>(null);

/** The Hub's host: a Hub id not in the curated catalog is a download from it. */
const HUB_HOST = 'huggingface.co';

/** Hosts by source kind; null when the model needs no consent. */
function hostOf(spec: string, pageOrigin: string, curatedHub: ReadonlySet<string> | null): string | null {
  const check = checkModelSpec(spec);
  if (!check.ok) return null;
  switch (check.kind) {
    case 'builtin':
    case 'local':
    case 'path':
      return null;
    case 'hub':
      return curatedHub?.has(check.value) ? null : HUB_HOST;
    case 'url': {
      const url = new URL(check.value);
      return url.origin === pageOrigin ? null : url.host;
    }
  }
}

/**
 * The models of a link that need the visitor's consent. With `curatedHub` null (catalog not loaded
 * yet) every Hub id counts; call again with the catalog to drop the curated ones.
 */
export function foreignModels(specs: readonly (string | null | undefined)[], pageOrigin: string, curatedHub: ReadonlySet<string> | null): ForeignModel[] {
  const out: ForeignModel[] = [];
  for (const spec of specs) {
    if (!spec || out.some((m) => m.spec === spec)) continue;
    const host = hostOf(spec, pageOrigin, curatedHub);
    if (host) out.push({ spec, host });
  }
  return out;
}

/** True when a run of `model` / `draft` would download something the visitor has not agreed to. */
export function blockedByConsent(consent: LinkConsent | null, model: string, draft: string | null): boolean {
  return consent !== null && consent.models.some((m) => m.spec === model || m.spec === draft);
}

/** Once the catalog is known: curated Hub models need no consent. Returns what is still pending. */
export function settleConsent(curatedHub: readonly { id: string }[] | undefined): LinkConsent | null {
  const now = pending.get();
  if (!now) return null;
  const curated = new Set((curatedHub ?? []).map((h) => h.id));
  setConsent({ ...now, models: now.models.filter((m) => m.host !== HUB_HOST || !curated.has(m.spec)) });
  return pending.get();
}

/** The pending consent (null when none). */
export function pendingConsent(): LinkConsent | null {
  return pending.get();
}

/** Set when a link is opened, cleared by the visitor's answer (a consent with no models is none). */
export function setConsent(consent: LinkConsent | null): void {
  pending.set(consent && consent.models.length > 0 ? consent : null);
}

/** The pending consent, for components. */
export function usePendingConsent(): LinkConsent | null {
  return pending.use();
}
