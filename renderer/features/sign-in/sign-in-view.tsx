import { useState, type FormEvent, type ReactElement } from 'react';
import { Icon } from '../../components/icons.js';
import {
  useSessionActions,
  useSessionBusy,
  useSessionError,
  useSignedOutReason,
} from '../../stores/session.js';

export function SignInView(): ReactElement {
  const session = useSessionActions();
  const busy = useSessionBusy();
  const error = useSessionError();
  const reason = useSignedOutReason();
  return (
    <main className="sign-in" aria-labelledby="sign-in-title">
      <div className="sign-in-card">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true">
            <Icon name="music" size={28} />
          </span>
          <span>Septet</span>
        </div>
        <h1 id="sign-in-title">Sign in to start listening</h1>
        {reason === 'expired' ? <p className="notice">Your session expired. Please sign in again.</p> : null}
        {error ? (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        ) : null}

        <button
          type="button"
          className="btn btn-primary btn-block"
          disabled={busy !== null}
          onClick={() => void session.signInDemo(true)}
        >
          {busy === 'demo' ? 'Signing in…' : 'Sign in with the demo account'}
        </button>
        <button
          type="button"
          className="btn btn-ghost btn-block btn-small"
          disabled={busy !== null}
          onClick={() => void session.signInDemo(false)}
        >
          Demo account without a subscription (30-second previews)
        </button>

        <div className="divider">
          <span>or</span>
        </div>

        <PasswordSignIn />
        <BrowserSignIn />
      </div>
    </main>
  );
}

function PasswordSignIn(): ReactElement {
  const session = useSessionActions();
  const busy = useSessionBusy();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (email && password) void session.signInWithPassword(email, password);
  };
  return (
    <form onSubmit={submit} className="form" aria-label="Sign in with email">
      <label className="field">
        <span>Email</span>
        <input
          type="email"
          autoComplete="username"
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          required
        />
      </label>
      <label className="field">
        <span>Password</span>
        <input
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          required
        />
      </label>
      <button type="submit" className="btn btn-block" disabled={busy !== null || !email || !password}>
        {busy === 'password' ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

/** Three-legged sign-in in the system browser, with Cancel while it waits. */
function BrowserSignIn(): ReactElement {
  const session = useSessionActions();
  const busy = useSessionBusy();
  if (busy === 'browser') {
    return (
      <div className="notice" role="status">
        Finish signing in in your browser…{' '}
        <button type="button" className="link" onClick={() => void session.cancelSignIn()}>
          Cancel
        </button>
      </div>
    );
  }
  return (
    <button
      type="button"
      className="btn btn-ghost btn-block"
      disabled={busy !== null}
      onClick={() => void session.signInWithBrowser()}
    >
      Sign in with browser
    </button>
  );
}
