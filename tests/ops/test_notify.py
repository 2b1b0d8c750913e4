"""Failure notices through a command, a webhook and SMTP, each received for real on loopback."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import dagster as dg
import pytest
from aiosmtpd.controller import Controller

from pipeline.ops.notify import Notice, NotifySettings, failure_notice, notify


class _Inbox(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((self.path, self.headers["Content-Type"], json.loads(body)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def webhook():
    _Inbox.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Inbox)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/hooks/veille", _Inbox.received
    server.shutdown()
    server.server_close()


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's API
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content.decode()))
        return "250 OK"


@pytest.fixture
def smtp():
    mailbox = _Mailbox()
    with socket.socket() as probe:  # aiosmtpd needs a known port: take a free one
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, mailbox.messages
    controller.stop()


NOTICE = failure_notice(
    "daily_job", "run-42", "2026-11-03", ["mentions: OSError: [Errno 28] No space left"]
)


def test_settings_come_from_the_environment():
    settings = NotifySettings.from_env(
        {
            "VEILLE_NOTIFY_WEBHOOK": "http://127.0.0.1:9/x",
            "VEILLE_NOTIFY_SMTP_HOST": "127.0.0.1",
            "VEILLE_NOTIFY_SMTP_TO": "veille@exemple.fr, ops@exemple.fr",
            "VEILLE_NOTIFY_SMTP_PORT": "2525",
        }
    )
    assert settings.channels == ["webhook", "email"]
    assert settings.smtp_to == ("veille@exemple.fr", "ops@exemple.fr")
    assert settings.smtp_port == 2525
    assert NotifySettings.from_env({}).channels == []


def test_the_notice_names_the_job_the_day_and_the_failures():
    assert NOTICE.subject == "veille: daily_job failed for 2026-11-03"
    assert "No space left" in NOTICE.text and "veille run --date 2026-11-03" in NOTICE.text
    assert NOTICE.details == {"run_id": "run-42", "job": "daily_job", "day": "2026-11-03"}


def test_every_channel_delivers(tmp_path, webhook, smtp):
    url, posted = webhook
    port, mails = smtp
    out = tmp_path / "notice.txt"
    settings = NotifySettings(
        command=f'printf "%s\\n" "$VEILLE_NOTIFY_SUBJECT $VEILLE_NOTIFY_DAY" > {out}; cat >> {out}',
        webhook=url,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_from="veille@exemple.fr",
        smtp_to=("equipe@exemple.fr",),
    )
    assert notify(settings, NOTICE) == {"command": None, "webhook": None, "email": None}
    written = out.read_text()
    assert written.startswith("veille: daily_job failed for 2026-11-03 2026-11-03\n")
    assert "No space left" in written
    assert posted == [
        (
            "/hooks/veille",
            "application/json; charset=utf-8",
            {"subject": NOTICE.subject, "text": NOTICE.text, **NOTICE.details},
        )
    ]
    [(sender, recipients, content)] = mails
    assert sender == "veille@exemple.fr" and recipients == ["equipe@exemple.fr"]
    assert "Subject: veille: daily_job failed for 2026-11-03" in content


def test_a_broken_channel_is_reported_and_the_others_still_deliver(webhook):
    url, posted = webhook
    settings = NotifySettings(
        command="exit 3", webhook=url, smtp_host="127.0.0.1", smtp_port=9, smtp_to=("x@exemple.fr",)
    )
    outcome = notify(settings, Notice("s", "t"))
    assert outcome["command"].startswith("RuntimeError: exit code 3")
    assert outcome["webhook"] is None and len(posted) == 1
    assert "ConnectionRefusedError" in outcome["email"]


def test_the_run_failure_sensor_posts_the_failed_run(webhook, monkeypatch):
    from assets.sensors import notify_on_failure

    url, posted = webhook
    monkeypatch.setenv("VEILLE_NOTIFY_WEBHOOK", url)

    @dg.op
    def load_the_day():
        raise OSError(28, "No space left on device")

    @dg.job
    def daily_job():
        load_the_day()

    with dg.DagsterInstance.ephemeral() as instance:
        result = daily_job.execute_in_process(
            instance=instance, raise_on_error=False, tags={"dagster/partition": "2026-11-03"}
        )
        failure = next(e for e in result.all_events if e.event_type_value == "PIPELINE_FAILURE")
        context = dg.build_run_status_sensor_context(
            sensor_name="notify_on_failure",
            dagster_event=failure,
            dagster_instance=instance,
            dagster_run=result.dagster_run,
        ).for_run_failure()
        notify_on_failure(context)
    [(_, _, body)] = posted
    assert body["subject"] == "veille: daily_job failed for 2026-11-03"
    assert body["run_id"] == result.run_id
    assert "No space left on device" in body["text"]
