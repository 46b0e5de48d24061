"""``email``: a message over SMTP (STARTTLS optional)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from typing import Any

from pgwf import config
from pgwf.connectors.base import Connection, Connector, ConnectorError, Field


class EmailConnector(Connector):
    name = "email"
    input_fields = (
        Field("to", "string_array", required=True),
        Field("subject", "string", required=True),
        Field("body", "string", required=True),
        Field("cc", "string_array"),
        Field("html", "string", help="an HTML alternative of body"),
    )
    connection_fields = (
        Field("host", "string"), Field("port", "integer"), Field("starttls", "boolean"),
        Field("username", "string"), Field("password", "string", secret=True),
        Field("from", "string"),
    )

    def call(self, step_input: dict[str, Any], connection: Connection,
             timeout: float) -> dict[str, Any]:
        host = connection.get("host") or config.get("PGWF_SMTP_HOST")
        port = int(connection.get("port") or config.get_int("PGWF_SMTP_PORT"))
        starttls = connection.get("starttls")
        if starttls is None:
            starttls = config.get_bool("PGWF_SMTP_STARTTLS")
        user = connection.get("username") or config.get("PGWF_SMTP_USER")
        password = connection.get("password") or config.get("PGWF_SMTP_PASSWORD")
        sender = connection.get("from") or config.get("PGWF_SMTP_FROM")
        msg = EmailMessage()
        msg["From"] = sender
        msg["To"] = ", ".join(step_input["to"])
        if step_input.get("cc"):
            msg["Cc"] = ", ".join(step_input["cc"])
        msg["Subject"] = step_input["subject"]
        msg.set_content(step_input["body"])
        if step_input.get("html"):
            msg.add_alternative(step_input["html"], subtype="html")
        recipients = list(step_input["to"]) + list(step_input.get("cc") or [])
        try:
            with smtplib.SMTP(host, port, timeout=timeout) as smtp:
                if starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if user:
                    smtp.login(user, password)
                refused = smtp.send_message(msg, to_addrs=recipients)
        except smtplib.SMTPRecipientsRefused as exc:
            raise ConnectorError(f"every recipient was refused: {sorted(exc.recipients)}",
                                 retryable=False) from None
        except smtplib.SMTPResponseException as exc:
            raise ConnectorError(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}",
                                 retryable=exc.smtp_code >= 400 and exc.smtp_code < 500) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise ConnectorError(f"SMTP {host}:{port} failed: {exc}", retryable=True) from None
        return {"sent": True, "recipients": recipients, "refused": sorted(refused),
                "messageId": msg.get("Message-ID")}
