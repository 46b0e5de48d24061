import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, detailLines } from "./api";

/** An API refusal as its code, message and detail lines: never a stack. */
export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  const e =
    error instanceof ApiError
      ? error
      : new ApiError(0, "ERROR", error instanceof Error ? error.message : String(error), null);
  const lines = detailLines(e.detail);
  return (
    <div className="error" role="alert">
      <strong>{e.code}</strong> {e.message}
      {lines.length > 0 && (
        <ul>
          {lines.map((l, i) => (
            <li key={i}>{l}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Notice({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <div className="notice" role="status">
      {text}
    </div>
  );
}

export function when(value: string | null | undefined): string {
  if (!value) return "";
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return d.toLocaleString(undefined, {
    year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
  });
}

/** Loads once and on reload(); optional polling every `pollMs` while `poll` says so. */
export function useLoad<T>(
  load: () => Promise<T>,
  deps: unknown[],
  pollMs = 0,
  poll: (value: T | undefined) => boolean = () => false,
) {
  const [value, setValue] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const loadRef = useRef(load);
  loadRef.current = load;
  // only the newest load may set the state: an older answer arriving late (the report a page
  // showed before the one just picked) must not overwrite it
  const generation = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const v = await loadRef.current();
      if (mine === generation.current) {
        setValue(v);
        setError(null);
      }
      return v;
    } catch (e) {
      if (mine === generation.current) setError(e);
      return undefined;
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, deps);
  useEffect(() => {
    let stopped = false;
    let timer: number | undefined;
    const tick = async () => {
      const v = await reload();
      if (!stopped && pollMs > 0 && poll(v)) timer = window.setTimeout(tick, pollMs);
    };
    setLoading(true);
    void tick();
    return () => {
      stopped = true;
      if (timer !== undefined) window.clearTimeout(timer);
    };
  }, [reload]);
  return { value, error, loading, reload, setValue };
}

/** Runs an action, keeping its error (shown by the page) and a busy flag. */
export function useAction() {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(async <T,>(fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await fn();
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { error, busy, run, setError };
}

export function Empty({ text }: { text: string }) {
  return <p className="empty">{text}</p>;
}
