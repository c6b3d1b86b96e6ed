/** URL parameters that were rejected (each names the field and value); the rest applied. */
import { useState } from 'react';
import { useAppStore } from '../store';

/** Notice listing ignored URL parameters, dismissible. */
export function UrlWarnings() {
  const errors = useAppStore((s) => s.urlErrors);
  const [hidden, setHidden] = useState(false);
  if (errors.length === 0 || hidden) return null;
  return (
    <div className="banner banner-warning" role="status" data-testid="url-warnings">
      <p>Some link parameters were ignored:</p>
      <ul>
        {errors.map((e) => (
          <li key={e.field}>{e.message}</li>
        ))}
      </ul>
      <div className="banner-actions">
        <button type="button" className="quiet" onClick={() => setHidden(true)}>
          Dismiss
        </button>
      </div>
    </div>
  );
}
