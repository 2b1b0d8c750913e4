"""Which passwords the review desk refuses: too short, too long, trivial or too common.

A desk open to colleagues behind a proxy is open to guessing; the login limits slow a guesser to
one try per delay, so the passwords that fall first (a common word with digits, a keyboard row,
one repeated character, the user's own name) are refused when the password is set.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

MIN_LENGTH = 8
MAX_LENGTH = 256
MIN_DISTINCT = 5
COMMON_FILE = Path(__file__).resolve().parent / "wordlists" / "common_passwords.txt"
# Rows and runs people type as passwords; a password inside one of them (or its reverse) is trivial.
SEQUENCES = (
    "abcdefghijklmnopqrstuvwxyz",
    "01234567890",
    "azertyuiop",
    "qsdfghjklm",
    "wxcvbn",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "azertyuiopqsdfghjklmwxcvbn",
    "qwertyuiopasdfghjklzxcvbnm",
    "1qaz2wsx3edc4rfv5tgb",
    "&é\"'(-è_çà)=",
)
_AFFIXES = re.compile(r"^[\W\d_]+|[\W\d_]+$")


@cache
def common_passwords() -> frozenset[str]:
    """The list of common passwords (lower case), read once."""
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def password_problem(password: str, user_name: str = "") -> str | None:
    """Why `password` is refused for `user_name`, in one English sentence; None if it is fine."""
    if len(password) < MIN_LENGTH:
        return f"the password needs at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"the password has more than {MAX_LENGTH} characters"
    folded = "".join(password.lower().split())
    if len(set(folded)) < MIN_DISTINCT:
        return f"the password needs at least {MIN_DISTINCT} different characters besides spaces"
    if any(folded in seq or folded in seq[::-1] for seq in SEQUENCES):
        return "the password is a keyboard row or a sequence"
    name = user_name.strip().lower()
    if len(name) >= 3 and name in folded:
        return "the password contains the user name"
    core = _AFFIXES.sub("", folded)
    common = common_passwords()
    if folded in common or core in common or (core and _repeated(core) in common):
        return "the password is too common: choose a phrase of several unusual words"
    return None


def _repeated(text: str) -> str:
    """The unit a text repeats ("azertyazerty" -> "azerty"), or the text itself."""
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text[:size] * (len(text) // size) == text:
            return text[:size]
    return text
