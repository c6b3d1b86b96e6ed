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
      <label htmlFor="prompt">Prompt</label>
      <textarea
        id="prompt"
        data-testid="prompt"
        rows={4}
        value={prompt}
        spellCheck={false}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? 'validation-message' : undefined}
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
