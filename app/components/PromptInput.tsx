/** The prompt textarea. */
import { fireAndForget, useController } from '../controller-context';
import { useAppStore } from '../store';
import { useFieldInvalid } from './field-state';

/** Prompt text; Ctrl/Cmd+Enter starts a run. */
export function PromptInput() {
  const controller = useController();
  const prompt = useAppStore((s) => s.prompt);
  const promptChanged = useAppStore((s) => s.promptChanged);
  const invalid = useFieldInvalid('prompt');
  return (
    <div className="field">
      <label htmlFor="prompt">
        Prompt{' '}
        <span className="hint" id="prompt-shortcut" data-testid="prompt-shortcut">
          (<kbd>Ctrl</kbd>+<kbd>Enter</kbd> generates)
        </span>
      </label>
      <textarea
        id="prompt"
        data-testid="prompt"
        rows={4}
        value={prompt}
        spellCheck={false}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? 'prompt-shortcut validation-message' : 'prompt-shortcut'}
        aria-keyshortcuts="Control+Enter Meta+Enter"
        onChange={(e) => promptChanged(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            fireAndForget(controller.startRun());
          }
        }}
      />
    </div>
  );
}
