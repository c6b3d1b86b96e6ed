/** Share (URL state to the address bar and clipboard), Export (JSON run record, CSV tokens) and Import. */
import { useState } from 'react';
import { recordToCsv } from '../csv';
import { shareStateOf } from '../lesson-setup';
import { copyText, csvFileName, downloadRecord, downloadText, shareUrlOf } from '../share';
import { useAppStore } from '../store';
import { CompareRun } from './CompareRun';
import { ImportRun } from './ImportRun';

/** Share, Export and Import buttons, with the shared link shown as selectable text. */
export function ShareExport() {
  const record = useAppStore((s) => s.lastRecord);
  const stale = useAppStore((s) => s.lastRecordStale);
  // A record the panels no longer show (a run started since) is never exported in place of the new run.
  const lastRecord = stale ? null : record;
  const [link, setLink] = useState<{ url: string; copied: boolean } | null>(null);

  const share = async () => {
    const s = useAppStore.getState();
    // The link opens the page as it is shown: a presentation stays a presentation, and a lesson's
    // id stays while the form is still its setup.
    const url = shareUrlOf(shareStateOf(s, s.lesson, [...(s.presentation ? (['present'] as const) : []), ...(s.stepMode ? (['step'] as const) : [])]), window.location);
    window.history.replaceState(null, '', url);
    setLink({ url, copied: false });
    const copied = await copyText(url);
    setLink({ url, copied });
  };
  const hint = lastRecord ? undefined : stale ? 'The run on screen has no record yet (wait for it to end)' : 'Run something (or import a run) first';
  const what = lastRecord?.partial ? 'the failed run (partial: the tokens made before it failed)' : 'the last run';

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
          title={hint ?? `Download ${what} as JSON`}
          onClick={() => lastRecord && downloadRecord(lastRecord)}
        >
          Export run
        </button>
        <button
          type="button"
          data-testid="export-csv"
          disabled={!lastRecord}
          title={hint ?? `Download one row per token of ${what} as CSV`}
          onClick={() => lastRecord && downloadText(csvFileName(lastRecord), recordToCsv(lastRecord), 'text/csv')}
        >
          Export CSV
        </button>
        <ImportRun />
        <CompareRun />
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
