"""The review desk's users, sessions and login rate limit, kept in the review store (SQLite).

Passwords are hashed with argon2id (argon2-cffi); a session cookie carries a random token of
which only the SHA-256 is stored, with the session's CSRF token. Failed logins are counted per
user name and client address, so a guessing attack is slowed without locking others out.
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

from pipeline.reviews import connect_store

ROLES = ("reviewer", "viewer")
MIN_PASSWORD_LENGTH = 8
SESSION_LIFETIME = timedelta(hours=12)
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=5)
_HASHER = PasswordHasher()
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
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
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


def list_users(db_path: str | Path) -> list[User]:
    """Every user, by name."""
    with connect_store(db_path) as con:
        rows = con.execute("SELECT name, role FROM users ORDER BY name").fetchall()
    return [User(name, role) for name, role in rows]


def authenticate(db_path: str | Path, name: str, password: str) -> User | None:
    """The user if the password is right, else None (same work whether the user exists)."""
    with connect_store(db_path) as con:
        row = con.execute(
            "SELECT name, role, password_hash FROM users WHERE name = ?", [name]
        ).fetchone()
    stored = row[2] if row else _DUMMY_HASH
    try:
        _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    return User(row[0], row[1]) if row else None


def too_many_failures(db_path: str | Path, name: str, client: str) -> bool:
    """Whether this user name from this client failed MAX_FAILURES times in the window."""
    since = (_now() - FAILURE_WINDOW).isoformat()
    with connect_store(db_path) as con:
        (count,) = con.execute(
            "SELECT count(*) FROM login_failures WHERE user_name = ? AND client = ?"
            " AND failed_at > ?",
            [name, client, since],
        ).fetchone()
    return count >= MAX_FAILURES


def record_failure(db_path: str | Path, name: str, client: str) -> None:
    """Count one failed login (and forget those older than a day)."""
    now = _now()
    with connect_store(db_path) as con:
        con.execute(
            "INSERT INTO login_failures (user_name, client, failed_at) VALUES (?, ?, ?)",
            [name[:64], client, now.isoformat()],
        )
        old = (now - timedelta(days=1)).isoformat()
        con.execute("DELETE FROM login_failures WHERE failed_at < ?", [old])


def open_session(db_path: str | Path, user: User) -> Session:
    """Start a session for a logged-in user; the returned token goes in the cookie."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = _now()
    expires = (now + SESSION_LIFETIME).isoformat()
    with connect_store(db_path) as con:
        con.execute("DELETE FROM sessions WHERE expires_at < ?", [now.isoformat()])
        con.execute(
            "INSERT INTO sessions (token_hash, user_name, csrf_token, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [_digest(token), user.name, csrf, now.isoformat(), expires],
        )
    return Session(user, csrf, token)


def find_session(db_path: str | Path, token: str | None) -> Session | None:
    """The open session of a cookie token, or None (unknown, expired, or user removed)."""
    if not token:
        return None
    with connect_store(db_path) as con:
        con.row_factory = sqlite3.Row
        row = con.execute(
            "SELECT u.name, u.role, s.csrf_token FROM sessions AS s"
            " JOIN users AS u ON u.name = s.user_name"
            " WHERE s.token_hash = ? AND s.expires_at > ?",
            [_digest(token), _now().isoformat()],
        ).fetchone()
    return Session(User(row["name"], row["role"]), row["csrf_token"]) if row else None


def close_session(db_path: str | Path, token: str | None) -> None:
    """End a session (log out)."""
    if token:
        with connect_store(db_path) as con:
            con.execute("DELETE FROM sessions WHERE token_hash = ?", [_digest(token)])
