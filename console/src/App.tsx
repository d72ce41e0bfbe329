import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, type ConsoleConfig, call, cognitoRefresh, cognitoSignIn, loadConfig, type Session } from './api';
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
  const [config, setConfig] = useState<ConsoleConfig>({});
  const [session, setSession] = useState<Session | undefined>(stored);
  const [notice, setNotice] = useState<string | undefined>();

  useEffect(() => {
    void loadConfig().then((c) => setConfig({ ...c, apiUrl: (c.apiUrl ?? '').replace(/\/+$/, '') }));
  }, []);

  const signIn = (s: Session) => {
    sessionStorage.setItem(KEY, JSON.stringify(s));
    setNotice(undefined);
    setSession(s);
  };
  const signOut = useCallback((message?: string) => {
    sessionStorage.removeItem(KEY);
    setNotice(message);
    setExpired(undefined);
    setSession(undefined);
  }, []);
  // The API refused the token (an ID token lasts an hour): with a refresh token, a new one without a word;
  // else the view stays and a dialog asks for a new token.
  const [expired, setExpired] = useState<string | undefined>();
  const onTokenRefused = useCallback(
    async (message: string) => {
      if (session?.refreshToken && config.cognitoClientId) {
        try {
          signIn({ ...session, token: await cognitoRefresh(config, session.refreshToken) });
          return;
        } catch {
          // The refresh token expired or was revoked too: ask.
        }
      }
      setExpired(message);
    },
    [session, config],
  );

  if (session)
    return (
      <>
        <Dashboard session={session} onSignOut={signOut} onTokenRefused={onTokenRefused} />
        {expired ? (
          <TokenPrompt
            session={session}
            reason={expired}
            onToken={(token) => {
              setExpired(undefined);
              signIn({ ...session, token, refreshToken: undefined });
            }}
            onSignOut={() => signOut()}
          />
        ) : null}
      </>
    );
  return <SignIn config={config} notice={notice} onSignIn={signIn} />;
};

/** A JWT's project claim, to fill the Project field (the token is not verified here: the API does that); else a noauth `user:project` token's project. */
const projectClaim = (token: string): string | undefined => {
  try {
    const claims = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return claims['custom:project_id'] ?? claims.project_id;
  } catch {
    return token.includes(':') ? token.slice(token.indexOf(':') + 1) || undefined : undefined;
  }
};

const SignIn = ({ config, notice, onSignIn }: { config: ConsoleConfig; notice?: string; onSignIn: (s: Session) => void }) => {
  const [project, setProject] = useState('');
  const [token, setToken] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [pasteToken, setPasteToken] = useState(false);
  // Cognito mode on AWS: username and password, exchanged for the ID token (its custom:project_id is the project).
  const cognito = Boolean(config.cognitoClientId && config.cognitoRegion) && !pasteToken;
  const [error, setError] = useState<string | undefined>(notice);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      let s = { apiUrl: config.apiUrl ?? '', project: project.trim(), token: token.trim() };
      if (cognito) {
        let idToken: { idToken: string; refreshToken?: string };
        try {
          idToken = await cognitoSignIn(config, username.trim(), password);
        } catch (err) {
          setError((err as Error).message);
          return;
        }
        s = {
          ...s,
          token: idToken.idToken,
          project: projectClaim(idToken.idToken) ?? '',
          ...(idToken.refreshToken ? { refreshToken: idToken.refreshToken } : {}),
        };
      }
      // Proves the token before showing anything: a cheap list the member role may read.
      await call<'plans.list'>(s, 'GET', '/plans?limit=1');
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
        {cognito ? (
          <>
            <label for="username">Username</label>
            <input id="username" name="username" required autocomplete="username" value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
            <label for="password">Password</label>
            <input
              id="password"
              name="password"
              type="password"
              required
              autocomplete="current-password"
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          </>
        ) : (
          <>
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
          </>
        )}
        <p id="signin-help" class="help">
          {cognito ? (
            'Sign in with your Cognito user of this deployment.'
          ) : (
            <>
              Locally (noauth) any <code>user:project</code> token works, e.g. <code>alice:demo</code>; on AWS paste the ID token (JWT) you signed in with.
            </>
          )}
        </p>
        {config.cognitoClientId && config.cognitoRegion ? (
          <button type="button" class="link" onClick={() => setPasteToken(!pasteToken)}>
            {pasteToken ? 'Sign in with username and password' : 'Paste a token instead'}
          </button>
        ) : null}
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

/** Asks for a new token over the view, which stays as it was: the new token is proved before it is used. */
const TokenPrompt = ({ session, reason, onToken, onSignOut }: { session: Session; reason: string; onToken: (t: string) => void; onSignOut: () => void }) => {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>();
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await call<'plans.list'>({ ...session, token: token.trim() }, 'GET', '/plans?limit=1');
      onToken(token.trim());
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'The API refused this token too.' : (err as Error).message);
    }
  };
  return (
    <dialog open aria-labelledby="expired-title" class="token-prompt">
      <h2 id="expired-title">Sign in again</h2>
      <p>
        {reason} The view stays as it is: paste a new token for project {session.project} to go on.
      </p>
      <form onSubmit={submit}>
        <label for="expired-token">New token</label>
        <input id="expired-token" value={token} onInput={(e) => setToken(e.currentTarget.value)} required />
        {error ? (
          <p role="alert" class="error">
            {error}
          </p>
        ) : null}
        <div class="actions">
          <button type="button" onClick={onSignOut}>
            Sign out
          </button>
          <button type="submit">Go on</button>
        </div>
      </form>
    </dialog>
  );
};
