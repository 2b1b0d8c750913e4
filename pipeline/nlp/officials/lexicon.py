"""The officials' data files (roles, qualifiers, organisation keywords, titles, first names).

Everything is keyed by `normalize_text` so lookups agree with the token norms the matchers see.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import astuple, dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.nlp.normalizer.normalizer import normalize_text

PATTERNS_DIR = Path(__file__).parent / "patterns"

ROLE_CATEGORIES = (
    "élu régional",
    "élu local",
    "État",
    "dirigeant de cluster",
    "dirigeant d'entreprise",
    "agence",
    "other",
)


@dataclass(frozen=True)
class RoleEntry:
    """One written form of a role, with its normalised role, default category and gender."""

    form: str
    role: str
    category: str
    gender: str
    fixed: bool

    @property
    def plural(self) -> bool:
        """A plural form ("délégués syndicaux"), which a list of people shares."""
        first, base = self.form.split()[0], self.role.split()[0]
        return first != base and first.endswith(("s", "x")) and not base.endswith(("s", "x"))


@dataclass(frozen=True)
class RoleVerb:
    """A verbal cue linking a person to a role ("présidé par", "qui dirige") or a copula."""

    form: str
    role: str
    direction: str


def norm_key(text: str) -> str:
    """The lookup key of a phrase: normalised, lower-case, single-spaced."""
    return " ".join(normalize_text(text).split())


def _rows(name: str) -> list[dict[str, str]]:
    with (PATTERNS_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=1)
def load_roles() -> dict[str, RoleEntry]:
    """Role forms from `roles.csv`, keyed by their normalised form."""
    entries: dict[str, RoleEntry] = {}
    for row in _rows("roles.csv"):
        category = row["category"]
        if category not in ROLE_CATEGORIES:
            raise ValueError(f"roles.csv: unknown category {category!r} for {row['form']!r}")
        key = norm_key(row["form"])
        entry = RoleEntry(key, row["role"], category, row["gender"], row["fixed"] == "1")
        entries[key] = entry
        # Capitals often lose their accent in the press ("secrétaire d'Etat", "Elue").
        entries.setdefault(_initials_unaccented(key), entry)
    for key, entry in list(entries.items()):
        plural = plural_form(key)
        if plural != key and not entry.plural:
            entries.setdefault(plural, RoleEntry(plural, *astuple(entry)[1:]))
    return entries


_INVARIABLE_ENDINGS = ("s", "x", "z")
_STOP_PLURAL = frozenset({"de", "du", "des", "d'", "à", "au", "aux", "en", "pour", "chez"})


def plural_form(key: str) -> str:
    """The plural of a role form: its words up to the first preposition take the plural
    ("conseiller départemental" -> "conseillers départementaux", "vice-présidente" ->
    "vice-présidentes"); the complement stays ("chef de projet" -> "chefs de projet")."""
    words = key.split()
    out: list[str] = []
    for k, word in enumerate(words):
        if word in _STOP_PLURAL or "'" in word:
            return " ".join(out + words[k:])
        head, _, last = word.rpartition("-")
        if last.endswith(_INVARIABLE_ENDINGS) or len(last) < 3:
            plural = last
        elif last.endswith("al"):
            plural = last[:-2] + "aux"
        elif last.endswith("eau"):
            plural = last + "x"
        else:
            plural = last + "s"
        out.append(f"{head}-{plural}" if head else plural)
    return " ".join(out)


_ACCENTED_INITIAL = re.compile(r"(^|[\s'-])([éèêÉÈÊ])")


def _initials_unaccented(key: str) -> str:
    """`key` with an accented letter opening a word written plain ("d'état" -> "d'etat")."""
    return _ACCENTED_INITIAL.sub(lambda m: m.group(1) + "e", key)


@lru_cache(maxsize=1)
def load_speech_verbs() -> frozenset[str]:
    """The speech verbs of the quotes component ("explique", "souligne"), normalised: a role
    noun right after one ("», explique le dirigeant") names the speaker."""
    path = PATTERNS_DIR.parent.parent / "quotes" / "patterns" / "speech_verbs.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return frozenset(norm_key(row["form"]) for row in csv.DictReader(handle))


@lru_cache(maxsize=1)
def load_qualifiers() -> dict[str, tuple[str, bool]]:
    """Qualifier words: normalised form -> (masculine form, whether it opens a domain)."""
    return {
        norm_key(row["form"]): (row["normalised"], row["starts_domain"] == "1")
        for row in _rows("qualifiers.csv")
    }


@lru_cache(maxsize=1)
def load_org_categories() -> list[tuple[re.Pattern[str], str]]:
    """Organisation keywords as whole-word patterns with the role category they imply."""
    rows = _rows("org_categories.csv")
    return [
        (re.compile(rf"(?<![\w-]){re.escape(norm_key(row['keyword']))}(?![\w-])"), row["category"])
        for row in sorted(rows, key=lambda r: -len(r["keyword"]))
    ]


@lru_cache(maxsize=1)
def load_role_verbs() -> list[RoleVerb]:
    """Verbal cues from `role_verbs.csv`."""
    return [
        RoleVerb(norm_key(r["form"]), r["role"], r["direction"]) for r in _rows("role_verbs.csv")
    ]


@lru_cache(maxsize=4)
def not_person_words(kind: str) -> frozenset[str]:
    """Words of `not_persons.csv` of one kind: "org_word" makes a capitalised pair an
    organisation or a place ("Picard Surgelés"), "named_after" makes the capitalised words after
    it a company or a place named after someone ("le cabinet Grant Thornton"), "company" is a
    company or a brand named like a person ("John Deere"), compared as a whole."""
    return frozenset(
        norm_key(row["word"]) for row in _rows("not_persons.csv") if row["kind"] == kind
    )


@lru_cache(maxsize=1)
def load_titles() -> dict[str, str]:
    """Civil titles ("M.", "Mme") -> gender."""
    return {norm_key(row["form"]): row["gender"] for row in _rows("titles.csv")}


@lru_cache(maxsize=1)
def load_first_names() -> dict[str, str]:
    """Common French first names -> gender ("m", "f" or "" when both)."""
    return {norm_key(row["name"]): row["gender"] for row in _rows("first_names.csv")}


@lru_cache(maxsize=1)
def load_given_names() -> frozenset[str]:
    """Every given name of `given_names.csv` (INSEE's Fichier des prénoms), normalised: the
    plausibility check on a name the model tagged, far broader than `first_names.csv`."""
    with (PATTERNS_DIR / "given_names.csv").open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        return frozenset(_unaccented(row["name"]) for row in csv.DictReader(lines))


def _unaccented(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", norm_key(word))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.replace("\u2010", "-").replace("\u2011", "-")


def is_given_name(word: str) -> bool:
    """Whether a word is a given name, or a compound one starting with one ("Marie-Guite"),
    accents aside (the press writes "Eric" as often as "Éric")."""
    key = _unaccented(word)
    names = load_given_names()
    return key in names or key.split("-")[0] in names or norm_key(word) in load_first_names()


def first_name_gender(word: str) -> str | None:
    """Gender of a first name ("Jean-Luc" looks up "jean-luc" then "jean"), None if unknown."""
    names = load_first_names()
    key = norm_key(word)
    if key in names:
        return names[key]
    head = key.split("-")[0]
    return names.get(head) if head != key else None


def _match_role_prefix(words: list[str]) -> tuple[RoleEntry | None, int]:
    roles = load_roles()
    for size in range(len(words), 0, -1):
        entry = roles.get(" ".join(words[:size]))
        if entry is not None:
            return entry, size
    return None, 0


def normalize_role(text: str) -> tuple[str, str]:
    """Normalise a written role to its masculine singular lower-case form and default category.

    `normalize_role("Vice-présidente chargée de l'Économie")` gives
    `("vice-président chargé de l'économie", "other")`; the category is refined by the
    organisation with `role_category`.
    """
    words = norm_key(text).split()
    entry, size = _match_role_prefix(words)
    qualifiers = load_qualifiers()
    rest = [qualifiers.get(word, (word, False))[0] for word in words[size:]]
    if entry is None:
        return " ".join(rest), "other"
    return " ".join([entry.role, *rest]), entry.category


def written_role(text: str, normalised: str) -> str:
    """The role as the article wrote it, for display ("vice-présidente chargée de l'économie"):
    its case and gender kept, a capital at the start lowered. A verbal cue ("présidé par") is no
    role to show: the normalised role stands in for it."""
    if role_entry(text) is None:
        return normalised
    words = " ".join(text.split())
    return words if words[:2].isupper() else words[:1].lower() + words[1:]


def role_entry(text: str) -> RoleEntry | None:
    """The lexicon entry whose form starts `text` (longest form first), if any."""
    entry, _ = _match_role_prefix(norm_key(text).split())
    return entry


def org_category(org: str) -> str | None:
    """The category implied by the organisation's head keyword (earliest in the phrase)."""
    key = norm_key(org)
    best: tuple[int, int, str] | None = None
    for pattern, category in load_org_categories():
        found = pattern.search(key)
        if found and (best is None or (found.start(), -len(found.group())) < best[:2]):
            best = (found.start(), -len(found.group()), category)
    return best[2] if best else None


def role_category(entry: RoleEntry | None, org: str | None, org_is_cluster: bool = False) -> str:
    """The role category: fixed by the role (préfet, maire), else decided by the organisation."""
    if entry is not None and entry.fixed:
        return entry.category
    if org_is_cluster:
        return "dirigeant de cluster"
    if org:
        category = org_category(org)
        if category:
            return category
        if org[:1].isupper() and (entry is None or entry.category == "other"):
            return "dirigeant d'entreprise"
    return entry.category if entry is not None else "other"
