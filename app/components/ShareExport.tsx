/** Share (URL state to the address bar and clipboard) and Export (last run record as JSON). */
import { useState } from 'react';
import { copyText, downloadRecord, shareUrl } from '../share';
import { useAppStore } from '../store';

/** Share and Export buttons, with the shared link shown as selectable text. */
export function ShareExport() {
  const lastRecord = useAppStore((s) => s.lastRecord);
  const [link, setLink] = useState<{ url: string; copied: boolean } | null>(null);

  const share = async () => {
    const url = shareUrl(useAppStore.getState(), window.location);
    window.history.replaceState(null, '', url);
    setLink({ url, copied: false });
    const copied = await copyText(url);
    setLink({ url, copied });
  };

  return (
    <div className="share-export">
      <div className="buttons">
        <button type="button" data-testid="share" onClick={() => void share()}>
          Share
        </button>
        <button
          type="button"
          data-testid="export"
          disabled={!lastRecord}
          title={lastRecord ? 'Download the last run as JSON' : 'Run something first'}
          onClick={() => lastRecord && downloadRecord(lastRecord)}
        >
          Export run
        </button>
      </div>
      {link && (
        <div className="field">
          <label htmlFor="share-url">{link.copied ? 'Link copied to the clipboard' : 'Link to this setup'}</label>
          <input id="share-url" data-testid="share-url" type="text" readOnly value={link.url} onFocus={(e) => e.target.select()} />
        </div>
      )}
    </div>
  );
}
