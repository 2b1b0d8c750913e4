"""Review desk users: argon2 hashes, sessions, roles and the failed-login rate limit."""

import sqlite3

import pytest

from pipeline import users
from pipeline.reviews import store_path


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


def test_failed_logins_are_limited_per_user_and_client(tmp_path):
    db = tmp_path / "veille.duckdb"
    for _ in range(users.MAX_FAILURES):
        assert not users.too_many_failures(db, "claire", "10.0.0.1")
        users.record_failure(db, "claire", "10.0.0.1")
    assert users.too_many_failures(db, "claire", "10.0.0.1")
    assert not users.too_many_failures(db, "claire", "10.0.0.2")
    assert not users.too_many_failures(db, "paul", "10.0.0.1")
