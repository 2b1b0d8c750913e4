"""Telling people a run failed: a command, a webhook, an e-mail, whichever are configured.

Settings come from the environment (`.env`): `VEILLE_NOTIFY_COMMAND` (run by the shell, the
message on its standard input), `VEILLE_NOTIFY_WEBHOOK` (a JSON POST) and the
`VEILLE_NOTIFY_SMTP_*` group (an e-mail). A channel that fails is reported back, never raised:
a broken notifier must not hide the failure it was meant to announce.
"""

from __future__ import annotations

import json
import os
import smtplib
import subprocess
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage

TIMEOUT_S = 20


@dataclass(frozen=True)
class NotifySettings:
    """Where failure notices go; every field empty means nobody is told."""

    command: str | None = None
    webhook: str | None = None
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_from: str | None = None
    smtp_to: tuple[str, ...] = field(default_factory=tuple)
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> NotifySettings:
        """Settings from `VEILLE_NOTIFY_*` variables."""
        env = os.environ if env is None else env
        return cls(
            command=env.get("VEILLE_NOTIFY_COMMAND") or None,
            webhook=env.get("VEILLE_NOTIFY_WEBHOOK") or None,
            smtp_host=env.get("VEILLE_NOTIFY_SMTP_HOST") or None,
            smtp_port=int(env.get("VEILLE_NOTIFY_SMTP_PORT") or 25),
            smtp_from=env.get("VEILLE_NOTIFY_SMTP_FROM") or None,
            smtp_to=tuple(
                a.strip() for a in (env.get("VEILLE_NOTIFY_SMTP_TO") or "").split(",") if a.strip()
            ),
            smtp_user=env.get("VEILLE_NOTIFY_SMTP_USER") or None,
            smtp_password=env.get("VEILLE_NOTIFY_SMTP_PASSWORD") or None,
            smtp_starttls=(env.get("VEILLE_NOTIFY_SMTP_STARTTLS") or "").lower() in ("1", "true"),
        )

    @property
    def channels(self) -> list[str]:
        """The configured channels, by name."""
        names = [("command", self.command), ("webhook", self.webhook)]
        names.append(("email", self.smtp_host and self.smtp_to))
        return [name for name, value in names if value]


@dataclass(frozen=True)
class Notice:
    """What happened: a subject line, a text, and fields for machines (run id, job, day)."""

    subject: str
    text: str
    details: Mapping[str, str] = field(default_factory=dict)


def _run_command(command: str, notice: Notice) -> None:
    env = {**os.environ, "VEILLE_NOTIFY_SUBJECT": notice.subject}
    env.update({f"VEILLE_NOTIFY_{k.upper()}": str(v) for k, v in notice.details.items()})
    done = subprocess.run(
        command,
        shell=True,
        input=notice.text,
        text=True,
        env=env,
        timeout=TIMEOUT_S,
        capture_output=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"exit code {done.returncode}: {done.stderr.strip()[:200]}")


def _post_webhook(url: str, notice: Notice) -> None:
    body = {"subject": notice.subject, "text": notice.text, **notice.details}
    request = urllib.request.Request(
        url,
        data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
        response.read()


def _send_email(settings: NotifySettings, notice: Notice) -> None:
    message = EmailMessage()
    message["Subject"] = notice.subject
    message["From"] = settings.smtp_from or f"veille@{settings.smtp_host}"
    message["To"] = ", ".join(settings.smtp_to)
    message.set_content(notice.text)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_S) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password or "")
        smtp.send_message(message)


def notify(settings: NotifySettings, notice: Notice) -> dict[str, str | None]:
    """Send `notice` on every configured channel; returns channel -> None or the error."""
    senders = {
        "command": lambda: _run_command(settings.command, notice),
        "webhook": lambda: _post_webhook(settings.webhook, notice),
        "email": lambda: _send_email(settings, notice),
    }
    outcome: dict[str, str | None] = {}
    for channel in settings.channels:
        try:
            senders[channel]()
            outcome[channel] = None
        except Exception as exc:  # noqa: BLE001 - reported to the caller, see the module doc
            outcome[channel] = f"{type(exc).__name__}: {exc}"
    return outcome


def failure_notice(
    job: str, run_id: str, day: str | None, failures: list[str], ui_url: str | None = None
) -> Notice:
    """The notice of a failed run: which job and day, and the first failures."""
    subject = f"veille: {job} failed" + (f" for {day}" if day else "")
    lines = [f"The run {run_id} of {job}" + (f" for {day}" if day else "") + " failed."]
    lines += [f"- {f}" for f in failures[:10]] or ["- (no step failure recorded)"]
    if ui_url:
        lines.append(f"\nDetails: {ui_url}/runs/{run_id}")
    lines.append("\nRe-running the day is safe: veille run --date " + (day or "YYYY-MM-DD"))
    details = {"run_id": run_id, "job": job, "day": day or ""}
    return Notice(subject, "\n".join(lines), details)
