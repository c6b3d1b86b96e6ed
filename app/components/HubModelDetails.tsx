/** Facts about the selected Hub model: role, revision, download size per dtype, where its files are. */
import type { CachedModel, Dtype, HubModelEntry } from '../../protocol';
import { formatBytes } from '../format';
import { effectiveDtype, revisionLabel, sizeLabel } from '../hub-models';

const ROLE = { draft: 'draft / amateur', target: 'target / expert' } as const;

/** Props: the entry, the dtype override (null = auto), the adapter's f16 support, cache and network state. */
export interface HubModelDetailsProps {
  entry: HubModelEntry;
  dtype: Dtype | null;
  shaderF16: boolean;
  cached: CachedModel | undefined;
  online: boolean;
}

/** A short description list under the model select. */
export function HubModelDetails({ entry, dtype, shaderF16, cached, online }: HubModelDetailsProps) {
  const chosen = effectiveDtype(entry, dtype, shaderF16);
  const offered = (Object.keys(entry.sizes) as Dtype[]).filter((d) => entry.sizes[d] !== undefined);
  return (
    <div className="hub-details" data-testid="hub-details">
      <p className="hint">{entry.description}</p>
      <p className="hint">
        Role: {ROLE[entry.role]} of the {entry.family} pair · vocabulary {entry.vocabSize.toLocaleString('en')} · {revisionLabel(entry.revision)}
      </p>
      <p className="hint" data-testid="hub-size">
        {chosen
          ? `Download (${dtype ? chosen : `auto: ${chosen}`}): ${sizeLabel(entry.sizes[chosen])}`
          : `This export has no ${dtype} weights; it offers ${offered.join(', ')}`}
        {' · '}
        {offered.map((d) => `${d} ${sizeLabel(entry.sizes[d]).replace('about ', '')}`).join(', ')}
      </p>
      <p className="hint" title={entry.sizeNote}>
        {cached
          ? `On this device: ${cached.files} files, ${formatBytes(cached.bytes)}`
          : online
            ? 'Not on this device yet: the first run downloads it.'
            : 'Unavailable offline: not on this device.'}
      </p>
    </div>
  );
}
