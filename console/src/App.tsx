import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, call, loadConfig, type Session } from './api';
import { Dashboard } from './Dashboard';

const KEY = 'karbor-console-session';

/** The session lives as long as the tab (sessionStorage): a token should not outlive it. */
const stored = (): Session | undefined => {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? 'null') ?? undefined;
  } catch {
    return undefined;
  }
};

export const App = () => {
  const [apiUrl, setApiUrl] = useState<string | undefined>();
  const [session, setSession] = useState<Session | undefined>(stored);
  const [notice, setNotice] = useState<string | undefined>();

  useEffect(() => {
    void loadConfig().then((c) => setApiUrl((c.apiUrl ?? '').replace(/\/+$/, '')));
  }, []);

  const signIn = (s: Session) => {
    sessionStorage.setItem(KEY, JSON.stringify(s));
    setNotice(undefined);
    setSession(s);
  };
  const signOut = useCallback((message?: string) => {
    sessionStorage.removeItem(KEY);
    setNotice(message);
    setSession(undefined);
  }, []);

  if (session) return <Dashboard session={session} onSignOut={signOut} />;
  return <SignIn apiUrl={apiUrl} notice={notice} onSignIn={signIn} />;
};

/** A JWT's project claim, to fill the Project field (the token is not verified here: the API does that). */
const projectClaim = (token: string): string | undefined => {
  try {
    const claims = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return claims['custom:project_id'] ?? claims.project_id;
  } catch {
    return undefined;
  }
};

const SignIn = ({ apiUrl, notice, onSignIn }: { apiUrl?: string; notice?: string; onSignIn: (s: Session) => void }) => {
  const [project, setProject] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>(notice);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const s = { apiUrl: apiUrl ?? '', project: project.trim(), token: token.trim() };
    setBusy(true);
    try {
      // Proves the token before showing anything: a cheap list the member role may read.
      await call(s, 'GET', '/plans?limit=1');
      onSignIn(s);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'The API refused this token.' : `Sign-in failed: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="signin">
      <h1>Karbor console</h1>
      <form onSubmit={submit} aria-describedby="signin-help">
        <label for="project">Project</label>
        <input id="project" name="project" required autocomplete="organization" value={project} onInput={(e) => setProject(e.currentTarget.value)} />
        <label for="token">Token</label>
        <input
          id="token"
          name="token"
          type="password"
          required
          autocomplete="current-password"
          value={token}
          onInput={(e) => {
            const t = e.currentTarget.value;
            setToken(t);
            if (!project) setProject(projectClaim(t) ?? '');
          }}
        />
        <p id="signin-help" class="help">
          Locally (noauth) any <code>user:project</code> token works, e.g. <code>alice:demo</code>; on AWS paste the ID token (JWT) you signed in with.
        </p>
        {error ? (
          <p role="alert" class="error">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
};
