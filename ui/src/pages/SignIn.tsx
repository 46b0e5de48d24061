import { useState, type FormEvent } from "react";
import { call, storeToken, type Me } from "../api";
import { ErrorBox } from "../common";

export function SignIn({ onSignedIn, error }: { onSignedIn: (me: Me) => void; error: unknown }) {
  const [token, setToken] = useState("");
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      const me = await call<Me>("GET", "/me", undefined, token.trim());
      storeToken(token.trim());
      onSignedIn(me);
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="page signin">
      <h1>pgwf</h1>
      <form onSubmit={submit} className="card">
        <h2>Sign in</h2>
        <p>Paste the API token a DBA made for you with <code>pgwf token create USER</code>.</p>
        <label htmlFor="token">API token</label>
        <input id="token" name="token" type="password" autoComplete="off" value={token}
          onChange={(e) => setToken(e.target.value)} required />
        <button type="submit" disabled={busy || !token.trim()}>Sign in</button>
        <ErrorBox error={failure ?? error} />
      </form>
    </main>
  );
}
