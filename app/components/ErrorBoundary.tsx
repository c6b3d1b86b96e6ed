/**
 * Contains a rendering error to one part of the page (a panel, the token popover, the charts): that
 * part shows a short message instead, and everything else stays on screen. It tries again when
 * `resetKey` changes (new data for the part).
 */
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** What the part is, for the message ("panel 2", "the charts"). */
  label: string;
  /** A new value clears the error and renders the children again. */
  resetKey?: unknown;
  children: ReactNode;
}

interface State {
  error: Error | null;
  resetKey: unknown;
}

/** Error boundary around one part of the page. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey === state.resetKey ? null : { error: null, resetKey: props.resetKey };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`Logitscope could not show ${this.props.label}:`, error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="render-error" role="alert" data-testid="render-error">
        Could not show {this.props.label}: {error.message}. The rest of the page is unaffected.
      </div>
    );
  }
}
