"""The review desk's users and sessions, kept in the review store (SQLite).

Passwords are hashed with argon2id (argon2-cffi); a session cookie carries a random token of
which only the SHA-256 is stored, with the session's CSRF token. A session ends after
IDLE_TIMEOUT without a request, after SESSION_LIFETIME in any case, and when its user is
disabled, removed or given a new password. How often a password may be tried is
`pipeline.review.login_limits`' business.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from pipeline.review.passwords import password_problem
from pipeline.warehouse.review_store import connect_store

ROLES = ("reviewer", "viewer")
SESSION_LIFETIME = timedelta(hours=12)
IDLE_TIMEOUT = timedelta(hours=1)
# An idle session's expiry is pushed back at most once a minute, not written on every request.
_TOUCH_EVERY = timedelta(minutes=1)
# argon2id with RFC 9106's second recommended setting (64 MiB, 3 passes, 4 lanes): the memory
# makes each guess of a stolen store expensive on a GPU, and one check takes about 0.1 s on
# this project's 2-core machine. A check holds its 64 MiB while it runs, so the desk runs at most
# `veille.review.app.PASSWORD_CHECKS` (4) at once, 256 MiB in all, and queues the rest.
_HASHER = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=4)
# Verified against when the user does not exist, so a login takes as long either way.
_DUMMY_HASH = _HASHER.hash("not a real password")


@dataclass(frozen=True)
class User:
    """Someone who may open the desk; only reviewers may write."""

    name: str
    role: str

    @property
    def can_write(self) -> bool:
        return self.role == "reviewer"


@dataclass(frozen=True)
class Session:
    """An open session: who, its cookie token (only known at creation) and its CSRF token."""

    user: User
    csrf_token: str
    token: str | None = None


def _now() -> datetime:
    return datetime.now(UTC)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_user(db_path: str | Path, name: str, role: str, password: str) -> User:
    """Create a user, or change an existing user's role and password."""
    name = name.strip()
    if not name or len(name) > 64 or any(c.isspace() for c in name):
        raise ValueError("a user name is 1 to 64 characters, without spaces")
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}: reviewer or viewer")
    problem = password_problem(password, name)
    if problem:
        raise ValueError(problem)
    with connect_store(db_path) as con:
        con.execute(
            "INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET role = excluded.role,"
            " password_hash = excluded.password_hash",
            [name, role, _HASHER.hash(password), _now().isoformat()],
        )
        # A changed password ends the user's open sessions.
        con.execute("DELETE FROM sessions WHERE user_name = ?", [name])
    return User(name, role)


def remove_user(db_path: str | Path, name: str) -> None:
    """Delete a user and end their sessions (their decisions stay, under their name)."""
    with connect_store(db_path) as con:
        con.execute("BEGIN IMMEDIATE")
        con.execute("DELETE FROM sessions WHERE user_name = ?", [name])
        gone = con.execute("DELETE FROM users WHERE name = ?", [name]).rowcount
        con.execute("COMMIT")
    if not gone:
        raise ValueError(f"no user named {name!r}")


def disable_user(db_path: str | Path, name: str, disabled: bool = True) -> None:
    """Stop a user from logging in and end their sessions, or (disabled=False) let them back."""
    with connect_store(db_path) as con:
        con.execute("BEGIN IMMEDIATE")
        if not con.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchone():
            con.execute("ROLLBACK")
            raise ValueError(f"no user named {name!r}")
        if disabled:
            con.execute(
                "INSERT OR IGNORE INTO disabled_users (name, disabled_at) VALUES (?, ?)",
                [name, _now().isoformat()],
            )
            con.execute("DELETE FROM sessions WHERE user_name = ?", [name])
        else:
            con.execute("DELETE FROM disabled_users WHERE name = ?", [name])
        con.execute("COMMIT")


def disabled_users(db_path: str | Path) -> set[str]:
    """The names of the disabled users."""
    with connect_store(db_path) as con:
        return {name for (name,) in con.execute("SELECT name FROM disabled_users")}


def list_users(db_path: str | Path) -> list[User]:
    """Every user, by name."""
    with connect_store(db_path) as con:
        rows = con.execute("SELECT name, role FROM users ORDER BY name").fetchall()
    return [User(name, role) for name, role in rows]


def authenticate(db_path: str | Path, name: str, password: str) -> User | None:
    """The user if the password is right, else None (same work whether the user exists)."""
    with connect_store(db_path) as con:
        row = con.execute(
            "SELECT name, role, password_hash FROM users WHERE name = ?"
            " AND name NOT IN (SELECT name FROM disabled_users)",
            [name],
        ).fetchone()
    stored = row[2] if row else _DUMMY_HASH
    try:
        _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    return User(row[0], row[1]) if row else None


def open_session(db_path: str | Path, user: User) -> Session:
    """Start a session for a logged-in user; the returned token goes in the cookie."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = _now()
    expires = (now + min(IDLE_TIMEOUT, SESSION_LIFETIME)).isoformat()
    with connect_store(db_path) as con:
        con.execute("DELETE FROM sessions WHERE expires_at < ?", [now.isoformat()])
        con.execute(
            "INSERT INTO sessions (token_hash, user_name, csrf_token, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [_digest(token), user.name, csrf, now.isoformat(), expires],
        )
    return Session(user, csrf, token)


def find_session(db_path: str | Path, token: str | None) -> Session | None:
    """The open session of a cookie token, or None (unknown, idle too long, past its lifetime,
    or its user removed or disabled). Finding it keeps it open for another IDLE_TIMEOUT."""
    if not token:
        return None
    now = _now()
    with connect_store(db_path) as con:
        con.row_factory = sqlite3.Row
        row = con.execute(
            "SELECT u.name, u.role, s.csrf_token, s.created_at, s.expires_at FROM sessions AS s"
            " JOIN users AS u ON u.name = s.user_name"
            " WHERE s.token_hash = ? AND s.expires_at > ?"
            " AND u.name NOT IN (SELECT name FROM disabled_users)",
            [_digest(token), now.isoformat()],
        ).fetchone()
        if row is None:
            return None
        limit = datetime.fromisoformat(row["created_at"]) + SESSION_LIFETIME
        pushed = min(now + IDLE_TIMEOUT, limit)
        if pushed - datetime.fromisoformat(row["expires_at"]) >= _TOUCH_EVERY:
            con.execute(
                "UPDATE sessions SET expires_at = ? WHERE token_hash = ?",
                [pushed.isoformat(), _digest(token)],
            )
    return Session(User(row["name"], row["role"]), row["csrf_token"])


def close_session(db_path: str | Path, token: str | None) -> None:
    """End a session (log out)."""
    if token:
        with connect_store(db_path) as con:
            con.execute("DELETE FROM sessions WHERE token_hash = ?", [_digest(token)])
