// Sign in with an emailed code: the address first, then the 6 digits.
import { useState } from 'preact/hooks';
import type { User } from '../../../shared/api/auth';
import { signInNeeded } from '../../lib/captures';
import { send } from '../../lib/messaging';
import { messageOf } from '../api';
import { useStored } from '../use-stored';

interface Props {
  initialError?: string;
  onSignedIn(user: User): void;
}

export function SignIn({ initialError, onSignedIn }: Props) {
  const [step, setStep] = useState<'email' | 'code'>('email');
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(initialError ?? '');
  const [notice, setNotice] = useState('');
  // A capture tried while signed out says so here; signing in answers it (the background clears it).
  const [captureRefused] = useStored(signInNeeded);

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError('');
    try {
      await action();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  const sendCode = () =>
    run(async () => {
      await send('auth.start', { email });
      setStep('code');
      setCode('');
      setNotice(`We sent a 6-digit code to ${email.trim()}.`);
    });

  const verify = () =>
    run(async () => {
      const { user } = await send('auth.verify', { email, code });
      onSignedIn(user);
    });

  if (step === 'email') {
    return (
      // Each step its own form (keys): reusing the code field's element left the email field with its maxlength.
      <form key="email" class="card" onSubmit={(e) => (e.preventDefault(), sendCode())}>
        <h1>Sign in</h1>
        {captureRefused && (
          <p class="notice error" role="status">
            {captureRefused.message}
          </p>
        )}
        <p class="muted">Generate, license and train Styles with one account. No password: we email you a code.</p>
        <label for="email">Email</label>
        <input id="email" data-testid="email" type="email" autocomplete="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        {error && <p class="error" role="alert">{error}</p>}
        <button data-testid="send-code" type="submit" disabled={busy || !email.trim()}>
          {busy ? 'Sending…' : 'Email me a code'}
        </button>
      </form>
    );
  }

  return (
    <form key="code" class="card" onSubmit={(e) => (e.preventDefault(), verify())}>
      <h1>Check your email</h1>
      {notice && <p class="muted">{notice}</p>}
      <label for="code">Code</label>
      <input
        id="code"
        data-testid="code"
        inputMode="numeric"
        autocomplete="one-time-code"
        pattern="\d{6}"
        maxLength={6}
        required
        value={code}
        onInput={(e) => setCode(e.currentTarget.value.replace(/\D/g, ''))}
      />
      {error && <p class="error" role="alert">{error}</p>}
      <button data-testid="sign-in" type="submit" disabled={busy || code.length !== 6}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
      <div class="row">
        <button type="button" class="link" disabled={busy} onClick={sendCode}>
          Send a new code
        </button>
        <button type="button" class="link" disabled={busy} onClick={() => (setStep('email'), setError(''))}>
          Use another email
        </button>
      </div>
    </form>
  );
}
