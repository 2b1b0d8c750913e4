"""The review desk's routes: thin handlers over `pipeline.review.queue`,
`pipeline.warehouse.review_store`, `pipeline.review.users`, `pipeline.review.exports` and
`pipeline.review.digest`.

Reads go to the published snapshot (reopened per request) and the review store; the only writes
are decisions, sessions and failed logins, all in the store. Every form post needs the session's
CSRF token; viewers cannot post decisions; scraped text is escaped by the templates (autoescape)
and links to originals are kept only when they are http or https.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from datetime import date
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import jinja2
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from pipeline.errors import UserError
from pipeline.review import digest as digests
from pipeline.review import exports, login_limits, users
from pipeline.review import queue as rq
from pipeline.warehouse.review_store import (
    ADDED_FIELD_LIMIT,
    ADDED_FIELDS,
    ADDED_TEXT_LIMIT,
    REJECT_REASONS,
    Decision,
    NotYourBatch,
    added_mention,
    batch,
    mention_history,
    record,
    undo_batch,
)
from veille.review import checks, formats

HERE = Path(__file__).resolve().parent
LOG = logging.getLogger(__name__)
# Password checks (argon2id, 64 MiB each) running at once; further logins wait their turn.
PASSWORD_CHECKS = 4
SESSION_COOKIE = "veille_session"
LOGIN_COOKIE = "veille_login_csrf"
# Scripts, styles and images from the app only; nothing framed, forms post only to the app.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
# The digest's body carries inline styles so it survives a paste into an email.
DIGEST_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
MESSAGES = {
    "accepted": "Mention acceptée.",
    "rejected": "Mention rejetée.",
    "corrected": "Correction enregistrée.",
    "unchanged": "Aucun champ modifié.",
    "merged": "Mention rattachée à l'entité.",
    "added": "Mention ajoutée.",
}


def _message(code: str, count: str | None, kept: str | None) -> str | None:
    """The flash message of a redirect's `msg` code, with its counts where it has some."""
    if code == "bulk" and count is not None:
        return f"{count} mention acceptée." if count == "1" else f"{count} mentions acceptées."
    if code == "undone" and count is not None:
        text = (
            "Acceptation en lot annulée : "
            + ("1 mention remise" if count == "1" else f"{count} mentions remises")
            + " dans l'état d'avant."
        )
        if kept and kept != "0":
            text += (
                " 1 mention, décidée à nouveau depuis, garde sa décision."
                if kept == "1"
                else f" {kept} mentions, décidées à nouveau depuis, gardent leur décision."
            )
        return text
    return MESSAGES.get(code)


def _templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        euros=formats.euros,
        day=formats.french_day,
        link=formats.safe_link,
        when=formats.when,
        plain=formats.plain,
    )
    env.globals.update(
        KIND_LABELS=formats.KIND_LABELS,
        STATUS_LABELS=formats.STATUS_LABELS,
        FIELD_LABELS=formats.FIELD_LABELS,
        SCOPE_LABELS=formats.SCOPE_LABELS,
        REJECT_REASONS=REJECT_REASONS,
        decision_label=formats.decision_label,
        decision_values=formats.decision_values,
    )
    return Jinja2Templates(env=env)


class SecurityHeaders:
    """Adds a strict Content-Security-Policy and friends to every response, error pages too.

    It also refuses request bodies over MAX_BODY (413), and answers an unexpected error with a
    plain French 500 page carrying the same headers (the error still reaches the server log).
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_tracked(message: dict) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await self._send_with_headers(scope, send, message)

        declared = dict(scope.get("headers", [])).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > MAX_BODY:
            await self._plain(scope, send, 413, "Requête trop volumineuse.")
            return
        try:
            await self.app(scope, _limited(receive), send_tracked)
        except _TooLarge:
            if not started:
                await self._plain(scope, send, 413, "Requête trop volumineuse.")
        except Exception:
            if started:
                raise
            await self._plain(scope, send, 500, "Erreur interne : l'incident est journalisé.")
            raise

    async def _plain(self, scope: dict, send: Any, status: int, text: str) -> None:
        body = f"Erreur {status} : {text}".encode()
        start = {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
        await self._send_with_headers(scope, send, start)
        await send({"type": "http.response.body", "body": body})

    @staticmethod
    async def _send_with_headers(scope: dict, send: Any, message: dict) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            names = {name for name, _ in headers}
            if b"content-security-policy" not in names:
                headers.append((b"content-security-policy", CSP.encode()))
            headers += [
                (b"x-content-type-options", b"nosniff"),
                (b"referrer-policy", b"no-referrer"),
                (b"x-frame-options", b"DENY"),
            ]
            if not scope["path"].startswith("/static/"):
                headers.append((b"cache-control", b"no-store"))
            message = {**message, "headers": headers}
        await send(message)


# The largest form the desk accepts: an added quote of a few thousand characters, escaped.
MAX_BODY = 64 * 1024


class _TooLarge(Exception):
    """A request body grew past MAX_BODY while it was read."""


def _limited(receive: Any) -> Any:
    """`receive`, raising _TooLarge once the body read passes MAX_BODY (chunked uploads)."""
    seen = 0

    async def receive_limited() -> dict:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > MAX_BODY:
                raise _TooLarge
        return message

    return receive_limited


# ---------------------------------------------------------------------------- helpers


def _db(request: Request) -> Path:
    return request.app.state.db_path


def _session(request: Request) -> users.Session | None:
    return users.find_session(_db(request), request.cookies.get(SESSION_COOKIE))


def _login_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?{urlencode({'next': target})}", status_code=303)


def _local(target: str | None, default: str = "/") -> str:
    """A redirect target, only if it stays on this site (`checks.local_target`)."""
    return checks.local_target(target, default)


def _with_message(target: str, code: str, **extra: Any) -> str:
    parts = urlsplit(target)
    query = "&".join(
        p for p in parts.query.split("&") if p and not p.startswith(("msg=", "n=", "k=", "batch="))
    )
    added = urlencode({"msg": code, **extra})
    return f"{parts.path}?{query + '&' if query else ''}{added}" + (
        f"#{parts.fragment}" if parts.fragment else ""
    )


def _render(
    request: Request,
    name: str,
    context: dict[str, Any],
    session: users.Session | None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    params = request.query_params
    message = _message(
        params.get("msg", ""), checks.count(params.get("n")), checks.count(params.get("k"))
    )
    base = {
        "session": session,
        "user": session.user if session else None,
        "csrf": session.csrf_token if session else "",
        "message": message,
        "undo": None,
        "path": request.url.path,
        "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
    }
    return request.app.state.templates.TemplateResponse(
        request, name, {**base, **context}, status_code=status_code, headers=headers
    )


def _error(request: Request, session: users.Session | None, status: int, text: str) -> Response:
    return _render(request, "error.html", {"status": status, "text": text}, session, status)


def _check_post(form: FormData, session: users.Session | None, write: bool = True) -> None:
    """Refuse a post without a session, without the session's CSRF token, or from a viewer."""
    if session is None:
        raise HTTPException(401, "Session expirée : reconnectez-vous.")
    sent = str(form.get("csrf", ""))
    if not secrets.compare_digest(sent.encode(), session.csrf_token.encode()):
        raise HTTPException(403, "Jeton de formulaire invalide : rechargez la page.")
    if write and not session.user.can_write:
        raise HTTPException(403, "Votre compte permet de consulter, pas de décider.")


def _form_text(form: FormData, key: str) -> str:
    return str(form.get(key, "")).strip()


# ---------------------------------------------------------------------------- login


def login_page(request: Request) -> Response:
    token = secrets.token_urlsafe(32)
    response = _render(
        request,
        "login.html",
        {"login_csrf": token, "next": _local(request.query_params.get("next")), "error": None},
        None,
    )
    response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict", path="/login")
    return response


async def login(request: Request) -> Response:
    """Check a login: the form's token, then the attempt limits (before any hashing), then the
    password, at most PASSWORD_CHECKS at once."""
    form = await request.form()
    name, password = _form_text(form, "name"), str(form.get("password", ""))
    target = _local(_form_text(form, "next"))
    cookie = request.cookies.get(LOGIN_COOKIE, "")
    if not cookie or not secrets.compare_digest(cookie.encode(), _form_text(form, "csrf").encode()):
        return _error(request, None, 403, "Jeton de formulaire invalide : rechargez la page.")
    client = request.client.host if request.client else "?"

    def again(text: str, status: int, headers: dict[str, str] | None = None) -> Response:
        token = secrets.token_urlsafe(32)
        context = {"login_csrf": token, "next": target, "error": text, "name": name}
        response = _render(request, "login.html", context, None, status, headers)
        response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict", path="/login")
        return response

    db = _db(request)
    verdict = await run_in_threadpool(login_limits.begin_attempt, db, name, client)
    if not verdict.allowed:
        wait = verdict.retry_after
        text = f"Trop de tentatives : réessayez dans {wait} seconde{'s' if wait > 1 else ''}."
        return again(text, 429, {"retry-after": str(wait)})
    user = None
    try:
        async with request.app.state.password_checks:
            user = await run_in_threadpool(users.authenticate, db, name, password)
    finally:
        await run_in_threadpool(login_limits.finish_attempt, db, verdict, user is not None)
    if user is None:
        return again("Nom ou mot de passe incorrect.", 401)
    session = await run_in_threadpool(users.open_session, db, user)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        session.token or "",
        max_age=int(users.SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=request.app.state.secure_cookies or request.url.scheme == "https",
    )
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


async def logout(request: Request) -> Response:
    form = await request.form()
    session = await run_in_threadpool(_session, request)
    _check_post(form, session, write=False)
    await run_in_threadpool(users.close_session, _db(request), request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


# ---------------------------------------------------------------------------- pages


def queue_page(request: Request) -> Response:
    session = _session(request)
    if session is None:
        return _login_redirect(request)
    try:
        flt = rq.parse_filter(request.query_params)
        page = checks.page_number(request.query_params.get("page"))
    except ValueError as exc:
        return _error(request, session, 400, str(exc))
    with rq.open_live(_db(request)) as con:
        flt = rq.with_default_window(con, flt)
        found = rq.queue_page(con, flt, rq.PAGE_SIZE, (page - 1) * rq.PAGE_SIZE)
        options = rq.filter_options(con)
    rows = found.rows
    for row in rows:
        row["segments"] = rq.evidence_segments(row)
    filter_query = urlencode(flt.query_items())
    context = {
        "flt": flt,
        "rows": rows,
        "total": found.total,
        # "plus de 10 000" past the count's cap, where the last page is not known.
        "total_text": formats.count(found.total, found.exact, rq.COUNT_CAP),
        "page": page,
        "pages": max((found.total + rq.PAGE_SIZE - 1) // rq.PAGE_SIZE, 1) if found.exact else None,
        "has_next": found.has_next,
        "options": options,
        "filter_query": filter_query,
        "filter_items": flt.query_items(),
        "statuses": list(rq.STATUS_FILTERS),
        "undo": _undoable(request, session),
    }
    return _render(request, "queue.html", context, session)


def _undoable(request: Request, session: users.Session) -> Any:
    """The bulk decision just made (`?msg=bulk&batch=`), when this reviewer may still undo it:
    only its author, and only while it still decides some mention."""
    if request.query_params.get("msg") != "bulk" or not session.user.can_write:
        return None
    found = batch(_db(request), request.query_params.get("batch", ""))
    if found is None or found.reviewer != session.user.name or found.current == 0:
        return None
    return found


def article_page(request: Request) -> Response:
    session = _session(request)
    if session is None:
        return _login_redirect(request)
    article_id = request.path_params["article_id"]
    with rq.open_live(_db(request)) as con:
        art = rq.article(con, article_id)
        mentions = rq.article_mentions(con, article_id) if art else []
    if art is None:
        return _error(request, session, 404, "Article introuvable dans la base publiée.")
    spans = [
        (m["start"], m["end"], m["kind"], m["mention_id"])
        for m in mentions
        if m["review_status"] != "rejected" and m["start"] is not None
    ]
    context = {
        "article": art,
        "mentions": mentions,
        "segments": rq.segments(art["text"], spans),
        "added_fields": ADDED_FIELDS,
    }
    return _render(request, "article.html", context, session)


def mention_page(request: Request) -> Response:
    session = _session(request)
    if session is None:
        return _login_redirect(request)
    mention_id = request.path_params["mention_id"]
    with rq.open_live(_db(request)) as con:
        row = rq.mention(con, mention_id)
        candidates = rq.entities(con, row["kind"]) if row else []
    history = mention_history(_db(request), mention_id)
    if row is None:
        return _error(request, session, 404, "Mention introuvable (voir les décisions orphelines).")
    context = {
        "m": row,
        "history": history,
        "correctable": rq.FIELDS_BY_KIND[row["kind"]],
        "candidates": candidates,
        "next": _local(request.query_params.get("next"), f"/mention/{mention_id}"),
    }
    return _render(request, "mention.html", context, session)


def orphans_page(request: Request) -> Response:
    session = _session(request)
    if session is None:
        return _login_redirect(request)
    with rq.open_live(_db(request)) as con:
        rows = rq.orphans(con)
    return _render(request, "orphans.html", {"rows": rows}, session)


def digest_page(request: Request) -> Response:
    session = _session(request)
    if session is None:
        return _login_redirect(request)
    validated_only = request.query_params.get("validated") == "1"
    try:
        period = checks.digest_period(request.query_params.get("period"))
        day = checks.digest_day(request.query_params.get("date"))
    except ValueError as exc:
        return _error(request, session, 400, f"Paramètre invalide : {exc}")
    with rq.open_live(_db(request)) as con:
        last = day or digests.latest_day(con)
        digest = digests.build_digest(con, period, last, validated_only) if last else None
    return _render(
        request,
        "digest.html",
        {"digest": digest, "period": period, "validated_only": validated_only},
        session,
        headers={"content-security-policy": DIGEST_CSP},
    )


def export(request: Request) -> Response:
    session = _session(request)
    if session is None:
        return _login_redirect(request)
    fmt = request.path_params["fmt"]
    if fmt not in ("csv", "xlsx"):
        return _error(request, session, 404, "Format d'export inconnu (csv ou xlsx).")
    try:
        flt = rq.parse_filter(request.query_params)
    except ValueError as exc:
        return _error(request, session, 400, str(exc))
    with rq.open_live(_db(request)) as con:
        rows = exports.export_rows(con, flt)
    stamp = date.today().isoformat()
    if fmt == "csv":
        body, media = exports.to_csv(rows), "text/csv; charset=utf-8"
    else:
        body = exports.to_xlsx(rows)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    disposition = f'attachment; filename="mentions-validees-{stamp}.{fmt}"'
    return Response(body, media_type=media, headers={"content-disposition": disposition})


# ---------------------------------------------------------------------------- decisions


def _post(handler: Any) -> Any:
    """An async endpoint reading the form, then running `handler` in a worker thread after the
    session, CSRF and role checks."""

    async def endpoint(request: Request) -> Response:
        form = await request.form()
        response = await run_in_threadpool(_checked, handler, request, form)
        if response.status_code == 303 and response.background is None:
            # Done once the answer is sent: the rows the decision changed, ready for the next
            # request of any reviewer.
            response.background = BackgroundTask(rq.prepare_live, _db(request))
        return response

    return endpoint


def _checked(handler: Any, request: Request, form: FormData) -> Response:
    session = _session(request)
    _check_post(form, session)
    try:
        return handler(request, form, session)
    except ValueError as exc:
        return _error(request, session, 400, str(exc))


def _current(request: Request) -> dict[str, Any]:
    with rq.open_live(_db(request)) as con:
        row = rq.mention(con, request.path_params["mention_id"])
    if row is None:
        raise HTTPException(404, "Mention introuvable.")
    return row


def _decide(request: Request, form: FormData, session: users.Session) -> Response:
    row = _current(request)
    action = request.path_params["action"]
    if action == "reject":
        reason = _form_text(form, "reason")
        if reason not in REJECT_REASONS:
            raise ValueError("Choisissez un motif de rejet dans la liste.")
        decision = Decision(
            row["mention_id"],
            "rejected",
            session.user.name,
            article_id=row["article_id"],
            kind=row["kind"],
            old_value=row["review_status"],
            new_value="rejected",
            reason=reason,
        )
    else:
        decision = Decision(
            row["mention_id"],
            "accepted",
            session.user.name,
            article_id=row["article_id"],
            kind=row["kind"],
            old_value=row["review_status"],
            new_value="accepted",
        )
    record(_db(request), decision)
    code = "rejected" if action == "reject" else "accepted"
    return RedirectResponse(_with_message(_local(_form_text(form, "next")), code), 303)


def _correct(request: Request, form: FormData, session: users.Session) -> Response:
    row = _current(request)
    fields = rq.FIELDS_BY_KIND[row["kind"]]
    decisions = rq.corrections(row, {f: _form_text(form, f) for f in fields}, session.user.name)
    if decisions:
        record(_db(request), *decisions)
    target = _local(_form_text(form, "next"), f"/mention/{row['mention_id']}")
    return RedirectResponse(_with_message(target, "corrected" if decisions else "unchanged"), 303)


def _merge(request: Request, form: FormData, session: users.Session) -> Response:
    row = _current(request)
    entity_id = _form_text(form, "entity_id")
    with rq.open_live(_db(request)) as con:
        known = {e["entity_id"]: e["name"] for e in rq.entities(con, row["kind"])}
    if entity_id not in known:
        raise ValueError("Choisissez une entité de la liste.")
    changes = {"entity_id": entity_id}
    if row["kind"] in ("cluster", "official", "location"):
        changes["name"] = known[entity_id]
    decisions = rq.corrections(row, changes, session.user.name)
    if decisions:
        record(_db(request), *decisions)
    target = _local(_form_text(form, "next"), f"/mention/{row['mention_id']}")
    return RedirectResponse(_with_message(target, "merged" if decisions else "unchanged"), 303)


def _add(request: Request, form: FormData, session: users.Session) -> Response:
    article_id = request.path_params["article_id"]
    with rq.open_live(_db(request)) as con:
        art = rq.article(con, article_id)
    if art is None:
        raise HTTPException(404, "Article introuvable.")
    kind = _form_text(form, "kind")
    start_text = _form_text(form, "start")
    fields = {f: _form_text(form, f) for fs in ADDED_FIELDS.values() for f in fs}
    if len(str(form.get("text", ""))) > ADDED_TEXT_LIMIT:
        raise ValueError(f"Mention non ajoutée : texte de {ADDED_TEXT_LIMIT} caractères au plus.")
    if any(len(value) > ADDED_FIELD_LIMIT for value in fields.values()):
        raise ValueError(f"Mention non ajoutée : {ADDED_FIELD_LIMIT} caractères au plus par champ.")
    if fields.get("amount_eur"):
        fields["amount_eur"] = rq.corrections(
            {"mention_id": "", "article_id": "", "kind": "funding"},
            {"amount_eur": fields["amount_eur"]},
            session.user.name,
        )[0].new_value
    try:
        decision = added_mention(
            article_id,
            art["text"],
            kind,
            str(form.get("text", "")),
            session.user.name,
            start=int(start_text) if start_text.isdigit() and len(start_text) < 10 else None,
            fields=fields,
        )
    except ValueError as exc:
        raise ValueError(f"Mention non ajoutée : {exc}") from None
    record(_db(request), decision)
    return RedirectResponse(_with_message(f"/article/{article_id}", "added"), 303)


def _bulk_accept(request: Request, form: FormData, session: users.Session) -> Response:
    flt = rq.parse_filter(form)
    with rq.open_live(_db(request)) as con:
        decisions = rq.bulk_accept(con, flt, session.user.name)
    if not decisions:
        target = "/?" + urlencode(flt.query_items())
        return RedirectResponse(_with_message(target, "bulk", n=0), 303)
    record(_db(request), *decisions)
    target = "/?" + urlencode(flt.query_items())
    batch_id = decisions[0].batch_id
    return RedirectResponse(_with_message(target, "bulk", n=len(decisions), batch=batch_id), 303)


def _bulk_undo(request: Request, form: FormData, session: users.Session) -> Response:
    """Take back a bulk acceptance as one step; only the reviewer who made it may (the undo is
    that reviewer's own correction; another reviewer overrules mentions one by one, each with
    their own decision in the history)."""
    flt = rq.parse_filter(form)
    try:
        undone, kept = undo_batch(_db(request), _form_text(form, "batch"), session.user.name)
    except NotYourBatch as exc:
        raise HTTPException(403, f"Annulation refusée : {exc}.") from None
    except ValueError as exc:
        raise ValueError(f"Annulation impossible : {exc}.") from None
    target = "/?" + urlencode(flt.query_items())
    return RedirectResponse(_with_message(target, "undone", n=undone, k=kept), 303)


# ---------------------------------------------------------------------------- the app


# Starlette's own errors (an unknown address, a GET-only page posted to) carry the English
# reason phrase of their status; the desk says them in French.
FRENCH_REASONS = {
    400: "Requête invalide.",
    401: "Connexion nécessaire.",
    403: "Accès refusé.",
    404: "Page introuvable : vérifiez l'adresse.",
    405: "Cette adresse ne s'ouvre pas ainsi (méthode non autorisée).",
}


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    session = await run_in_threadpool(_session, request)
    detail = exc.detail
    if detail == HTTPStatus(exc.status_code).phrase:
        detail = FRENCH_REASONS.get(exc.status_code, "Requête refusée.")
    return _error(request, session, exc.status_code, detail)


# What a reviewer sees when the published database cannot be read; the cause (in English, as the
# CLI says it) goes to the server log for whoever runs the desk.
UNAVAILABLE = (
    "Base indisponible : la base publiée est absente, illisible ou d'une version plus ancienne"
    " de veille. La personne qui administre veille peut la reconstruire avec « veille publish »."
)


async def user_error(request: Request, exc: Exception) -> Response:
    LOG.warning("review desk: %s", exc)
    return _error(request, None, 503, UNAVAILABLE)


def create_app(db_path: str | Path, secure_cookies: bool = False) -> Starlette:
    """The desk for the database at `db_path` (its snapshot and review store beside it).

    `secure_cookies` marks the session cookie Secure (HTTPS only); it is also marked so when the
    request came over HTTPS, as a trusted proxy says (`veille.review.serve`).
    """
    routes = [
        Route("/", queue_page),
        Route("/login", login_page, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/article/{article_id}", article_page),
        Route("/article/{article_id}/add", _post(_add), methods=["POST"]),
        Route("/mention/{mention_id}", mention_page),
        Route("/mention/{mention_id}/{action:str}", _post(_dispatch), methods=["POST"]),
        Route("/bulk-accept", _post(_bulk_accept), methods=["POST"]),
        Route("/bulk-undo", _post(_bulk_undo), methods=["POST"]),
        Route("/export.{fmt:str}", export),
        Route("/digest", digest_page),
        Route("/orphans", orphans_page),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={HTTPException: http_error, UserError: user_error},
    )
    app.state.db_path = Path(db_path)
    app.state.templates = _templates()
    app.state.secure_cookies = secure_cookies
    app.state.password_checks = asyncio.Semaphore(PASSWORD_CHECKS)
    return app


def _dispatch(request: Request, form: FormData, session: users.Session) -> Response:
    action = request.path_params["action"]
    handlers = {"accept": _decide, "reject": _decide, "correct": _correct, "merge": _merge}
    if action not in handlers:
        raise HTTPException(404, "Action inconnue.")
    return handlers[action](request, form, session)
