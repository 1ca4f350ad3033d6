import { Component, type ErrorInfo, type ReactNode } from 'react';
import { createLogger } from '../services/logger.js';

const log = createLogger('ui');

/** Keeps one broken view from blanking the window: shows the error with a way back. */
export class ErrorBoundary extends Component<
  { children: ReactNode; resetKey?: string },
  { error: Error | null; key?: string | undefined }
> {
  override state: { error: Error | null; key?: string | undefined } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  static getDerivedStateFromProps(
    props: { resetKey?: string },
    state: { error: Error | null; key?: string | undefined },
  ) {
    if (props.resetKey !== state.key) return { error: null, key: props.resetKey };
    return null;
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    log.error('view crashed', { message: error.message, stack: info.componentStack });
  }

  override render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <div className="state state-error" role="alert">
        <p className="state-title">This view ran into a problem</p>
        <p className="state-body">{this.state.error.message}</p>
        <button type="button" className="btn" onClick={() => this.setState({ error: null })}>
          Retry
        </button>
      </div>
    );
  }
}
