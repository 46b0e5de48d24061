"""What a connector is: a named side effect with a declared configuration.

A connector gets the step's ``input`` (from the node's configuration, with
``{{path}}`` placeholders already filled by the engine) and the settings of
a named connection (URLs and secrets, never stored in workflow_data), does
one call, and returns the step's output or raises ``ConnectorError``.
Whether a failure is retried is the engine's decision (``fail_step`` with
``retryable``); the connector only says whether retrying could help, or
names the BPMN error the failure is (``error_code``).
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any, ClassVar


class ConnectorError(Exception):
    """A call that did not succeed; ``retryable`` when trying again may help.

    ``error_code`` makes it a business failure the model handles: a BPMN error
    with that code, thrown at the step's activity (an error boundary event or
    an error event sub-process catches it) and never retried."""

    def __init__(self, message: str, retryable: bool = True, error_code: str | None = None,
                 status: int | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.error_code = error_code
        self.status = status  # the HTTP status of an answer that was no success


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # "string", "integer", "boolean", "object", "array", "string_array"
    required: bool = False
    secret: bool = False
    help: str = ""


@dataclass
class Connection:
    """The settings of one named connection (from ``PGWF_CONNECTION_<NAME>_<FIELD>``)."""

    name: str
    settings: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.settings.get(key, default)


_KINDS: dict[str, tuple[type, ...]] = {
    "string": (str,), "integer": (int,), "boolean": (bool,), "object": (dict,),
    "array": (list,), "string_array": (list,), "number": (int, float),
}


def check(fields: tuple[Field, ...], values: dict[str, Any], what: str) -> None:
    """Refuse (not retryable) values that do not fit the declared fields."""
    if not isinstance(values, dict):
        raise ConnectorError(f"{what} must be an object", retryable=False)
    for f in fields:
        value = values.get(f.name)
        if value is None:
            if f.required:
                raise ConnectorError(f"{what}: {f.name} is required", retryable=False)
            continue
        if not isinstance(value, _KINDS[f.kind]) or (f.kind in ("integer", "number")
                                                      and isinstance(value, bool)):
            raise ConnectorError(f"{what}: {f.name} must be of type {f.kind}", retryable=False)
        if isinstance(value, list) and f.kind == "string_array" and not all(
                isinstance(v, str) for v in value):
            raise ConnectorError(f"{what}: {f.name} must be a list of strings", retryable=False)


class Connector:
    """Base class: subclasses declare ``name``, ``input_fields``,
    ``connection_fields`` and implement ``call``."""

    name: ClassVar[str]
    input_fields: ClassVar[tuple[Field, ...]] = ()
    connection_fields: ClassVar[tuple[Field, ...]] = ()

    def run(self, step_input: dict[str, Any], connection: Connection,
            timeout: float = 30) -> dict[str, Any]:
        check(self.input_fields, step_input, f"{self.name} input")
        check(self.connection_fields, connection.settings, f"connection {connection.name}")
        return self.call(step_input, connection, timeout)

    def call(self, step_input: dict[str, Any], connection: Connection,
             timeout: float) -> dict[str, Any]:
        raise NotImplementedError


# --------------------------------------------------------------------------
# connections from the environment


def connection_from_env(name: str, environ: dict[str, str] | None = None) -> Connection:
    """``PGWF_CONNECTION_GITLAB_TOKEN=...`` gives connection ``gitlab`` the
    setting ``token``.  Values that look like JSON objects or numbers are
    parsed (``..._HEADERS='{"X-Key": "v"}'``)."""
    env = os.environ if environ is None else environ
    prefix = "PGWF_CONNECTION_" + name.upper().replace("-", "_") + "_"
    settings: dict[str, Any] = {}
    for key, value in env.items():
        if key.startswith(prefix):
            settings[key[len(prefix):].lower()] = _parse(value)
    return Connection(name, settings)


def _parse(value: str) -> Any:
    text = value.strip()
    if text[:1] in ("{", "["):
        try:
            return json.loads(text)
        except ValueError:
            return value
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    if text.isdigit():
        return int(text)
    return value


# --------------------------------------------------------------------------
# HTTP, shared by the connectors that speak it


@dataclass
class HttpResult:
    status: int
    body: Any
    headers: dict[str, str]


def http_request(method: str, url: str, *, json_body: Any = None, data: bytes | None = None,
                 headers: dict[str, str] | None = None, timeout: float = 30) -> HttpResult:
    """One HTTP call.  Network errors, timeouts, 429 and 5xx are retryable;
    other 4xx are not.  A 2xx answer is returned (JSON parsed when it is)."""
    if not url.startswith(("http://", "https://")):
        raise ConnectorError(f"url must be http:// or https://, not {url!r}", retryable=False)
    hdrs = dict(headers or {})
    if json_body is not None:
        data = json.dumps(json_body).encode()
        hdrs.setdefault("Content-Type", "application/json")
    hdrs.setdefault("User-Agent", "pgwf-worker")
    req = urllib.request.Request(url, data=data, method=method.upper(), headers=hdrs)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            status, raw, rh = resp.status, resp.read(), dict(resp.headers)
    except urllib.error.HTTPError as err:
        raw = err.read()
        text = raw.decode(errors="replace")[:300]
        retryable = err.code == 429 or err.code >= 500
        raise ConnectorError(f"{method.upper()} {url} answered {err.code}: {text}",
                             retryable=retryable, status=err.code) from None
    except (urllib.error.URLError, TimeoutError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise ConnectorError(f"{method.upper()} {url} failed: {reason}", retryable=True) from None
    body: Any = raw.decode(errors="replace")
    if "json" in rh.get("Content-Type", "") and raw:
        try:
            body = json.loads(raw)
        except ValueError:
            pass
    return HttpResult(status, body, rh)
