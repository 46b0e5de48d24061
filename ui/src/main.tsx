import { StrictMode, useCallback, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import "@xyflow/react/dist/style.css";
import "./styles.css";
import { call, get, setUnauthorizedHandler, storeToken, storedToken, type Me } from "./api";
import { ErrorBox } from "./common";
import { go } from "./nav";
import { SignIn } from "./pages/SignIn";
import { Inbox } from "./pages/Inbox";
import { Approvals } from "./pages/Approvals";
import { Runs, RunPage } from "./pages/Runs";
import { Designer } from "./pages/Designer";
import { Queues, Reports } from "./pages/Queues";

const PAGES: [string, string][] = [
  ["inbox", "Inbox"], ["approvals", "Approvals"], ["runs", "Runs"], ["designer", "Designer"],
  ["queues", "Queues"], ["reports", "Reports"],
];

function useRoute(): string[] {
  const read = () => window.location.hash.replace(/^#\/?/, "").split("/").filter(Boolean)
    .map(decodeURIComponent);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => setRoute(read());
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return route;
}

function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(storedToken() !== null);
  const [error, setError] = useState<unknown>(null);
  const route = useRoute();

  const forget = useCallback(() => {
    storeToken(null);
    setMe(null);
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(forget);
    if (storedToken() === null) return;
    get<Me>("/me").then(setMe, (e) => {
      setError(e);
      storeToken(null);
    }).finally(() => setChecking(false));
  }, [forget]);

  const signOut = async () => {
    try {
      await call("DELETE", "/me/token");
    } catch (e) {
      setError(e);
    }
    forget();
    go("");
  };

  if (checking) return <main className="page"><p>Signing in…</p></main>;
  if (!me) {
    return (
      <SignIn error={error} onSignedIn={(m) => { setError(null); setMe(m); if (!route[0]) go("inbox"); }} />
    );
  }
  const page = route[0] ?? "inbox";
  return (
    <>
      <header className="top">
        <a className="brand" href="#/inbox">pgwf</a>
        <nav aria-label="Main">
          {PAGES.map(([key, label]) => (
            <a key={key} href={`#/${key}`} aria-current={page === key ? "page" : undefined}>{label}</a>
          ))}
        </nav>
        <div className="who">
          <span data-testid="whoami">Signed in as <strong>{me.user_id}</strong></span>
          <span className="roles" aria-label="Your roles">{(me.roles ?? []).join(", ") || "no roles"}</span>
          <button type="button" onClick={signOut}>Sign out</button>
        </div>
      </header>
      <main className="page">
        <ErrorBox error={error} />
        {page === "inbox" && <Inbox me={me} taskId={route[1]} />}
        {page === "approvals" && <Approvals />}
        {page === "runs" && (route[1] ? <RunPage runId={route[1]} /> : <Runs />)}
        {page === "designer" && <Designer me={me} workflowId={route[1]} />}
        {page === "queues" && <Queues />}
        {page === "reports" && <Reports name={route[1]} />}
        {!PAGES.some(([k]) => k === page) && <p>No page {page}. <a href="#/inbox">Go to the inbox</a>.</p>}
      </main>
    </>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
