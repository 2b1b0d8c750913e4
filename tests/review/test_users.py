"""Review desk users: argon2 hashes, sessions, roles and the failed-login rate limit."""

import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pipeline.review import users
from pipeline.warehouse.review_store import store_path


def test_a_user_is_stored_with_an_argon2_hash_never_the_password(tmp_path):
    db = tmp_path / "veille.duckdb"
    users.add_user(db, "claire", "reviewer", "un mot de passe")
    with sqlite3.connect(store_path(db)) as con:
        (stored,) = con.execute("SELECT password_hash FROM users").fetchone()
    assert stored.startswith("$argon2id$") and "un mot de passe" not in stored
    assert users.authenticate(db, "claire", "un mot de passe") == users.User("claire", "reviewer")
    assert users.authenticate(db, "claire", "mauvais mot") is None
    assert users.authenticate(db, "personne", "un mot de passe") is None
    assert users.list_users(db) == [users.User("claire", "reviewer")]


def test_bad_users_are_refused(tmp_path):
    db = tmp_path / "veille.duckdb"
    with pytest.raises(ValueError, match="unknown role"):
        users.add_user(db, "claire", "admin", "un mot de passe")
    with pytest.raises(ValueError, match="at least 8"):
        users.add_user(db, "claire", "viewer", "court")
    with pytest.raises(ValueError, match="without spaces"):
        users.add_user(db, "claire dupont", "viewer", "un mot de passe")


def test_sessions_carry_the_role_and_end_with_a_new_password(tmp_path):
    db = tmp_path / "veille.duckdb"
    viewer = users.add_user(db, "victor", "viewer", "un mot de passe")
    session = users.open_session(db, viewer)
    found = users.find_session(db, session.token)
    assert found.user == viewer and not found.user.can_write
    assert found.csrf_token == session.csrf_token
    with sqlite3.connect(store_path(db)) as con:
        assert con.execute(
            "SELECT count(*) FROM sessions WHERE token_hash = ?", [session.token]
        ).fetchone() == (0,)
    users.add_user(db, "victor", "reviewer", "un autre mot de passe")
    assert users.find_session(db, session.token) is None
    second = users.open_session(db, users.User("victor", "reviewer"))
    users.close_session(db, second.token)
    assert users.find_session(db, second.token) is None
    assert users.find_session(db, None) is None


@pytest.mark.parametrize(
    "password",
    [
        "aaaaaaaa",
        " " * 8,
        "        aaaa",
        "12345678",
        "azertyuiop",
        "abcdefgh",
        "Password1!",
        "motdepasse2026",
        "Azerty123",
        "!!soleil!!",
        "azertyazerty",
        "claire-2026!",
        "x" * 300,
    ],
)
def test_common_and_trivial_passwords_are_refused(tmp_path, password):
    with pytest.raises(ValueError, match="password"):
        users.add_user(tmp_path / "veille.duckdb", "claire", "reviewer", password)


def test_an_unusual_passphrase_is_accepted(tmp_path):
    db = tmp_path / "veille.duckdb"
    users.add_user(db, "claire", "reviewer", "cactus lundi pelote 42")
    assert users.authenticate(db, "claire", "cactus lundi pelote 42") is not None


def test_a_session_ends_after_an_idle_hour_but_activity_keeps_it(tmp_path, monkeypatch):
    db = tmp_path / "veille.duckdb"
    claire = users.add_user(db, "claire", "reviewer", "un mot de passe")
    session = users.open_session(db, claire)
    start = datetime.now(UTC)
    for minutes in (50, 100, 150):  # a request every 50 minutes
        monkeypatch.setattr(users, "_now", lambda m=minutes: start + timedelta(minutes=m))
        assert users.find_session(db, session.token) is not None
    later = start + timedelta(minutes=150) + users.IDLE_TIMEOUT + timedelta(minutes=1)
    monkeypatch.setattr(users, "_now", lambda: later)
    assert users.find_session(db, session.token) is None
    # activity never stretches a session past its lifetime
    fresh = users.open_session(db, claire)
    steps = int(users.SESSION_LIFETIME / timedelta(minutes=50)) + 2
    for step in range(steps):
        now = later + timedelta(minutes=50 * step)
        monkeypatch.setattr(users, "_now", lambda n=now: n)
        found = users.find_session(db, fresh.token)
    assert found is None


def test_disabling_or_removing_a_user_ends_their_sessions(tmp_path):
    db = tmp_path / "veille.duckdb"
    claire = users.add_user(db, "claire", "reviewer", "un mot de passe")
    victor = users.add_user(db, "victor", "viewer", "un mot de passe")
    session = users.open_session(db, claire)
    users.disable_user(db, "claire")
    assert users.find_session(db, session.token) is None
    assert users.authenticate(db, "claire", "un mot de passe") is None
    assert users.disabled_users(db) == {"claire"}
    users.disable_user(db, "claire", disabled=False)
    assert users.authenticate(db, "claire", "un mot de passe") == claire
    other = users.open_session(db, victor)
    users.remove_user(db, "victor")
    assert users.find_session(db, other.token) is None
    assert users.list_users(db) == [claire]
    with pytest.raises(ValueError, match="no user"):
        users.remove_user(db, "victor")
    with pytest.raises(ValueError, match="no user"):
        users.disable_user(db, "personne")


def test_the_users_commands_disable_and_remove_and_close_sessions(tmp_path):
    db = tmp_path / "veille.duckdb"
    claire = users.add_user(db, "claire", "reviewer", "un mot de passe")
    session = users.open_session(db, claire)
    env = {k: v for k, v in os.environ.items() if not k.startswith("VEILLE_")}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent.parent)

    def veille(*args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "veille.cli", "users", *args, "--db", str(db)]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)

    done = veille("disable", "claire")
    assert done.returncode == 0 and "sessions are closed" in done.stdout
    assert users.find_session(db, session.token) is None
    assert "claire" in veille("list").stdout and "(disabled)" in veille("list").stdout
    assert veille("enable", "claire").returncode == 0
    assert users.authenticate(db, "claire", "un mot de passe") == claire
    assert veille("remove", "claire").returncode == 0
    assert users.list_users(db) == []
    missing = veille("remove", "claire")
    assert missing.returncode == 2 and "no user named 'claire'" in missing.stderr
