"""URL canonicalisation and the stable article identity derived from it."""

from __future__ import annotations

import hashlib
import ipaddress
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that only track the reader; they never change the article.
_TRACKING_PREFIXES = ("utm_", "xtor", "at_", "fbclid", "gclid", "mc_", "ns_")

# Query parameters that only ask for the AMP rendering of the same article.
_AMP_PARAMETERS = frozenset({"amp", "_amp"})

# Host labels that name a rendering of the site (desktop, AMP, mobile), not another site.
_RENDERING_LABELS = ("www.", "amp.", "m.")


def _is_amp_parameter(key: str, value: str) -> bool:
    key = key.lower()
    return key in _AMP_PARAMETERS or (key == "outputtype" and value.lower() == "amp")


def _without_amp_path(path: str) -> str:
    segments = [s for s in path.split("/") if s.lower() != "amp"]
    path = "/".join(segments) or "/"
    while path.lower().endswith(".amp.html"):
        path = path[: -len(".amp.html")] + ".html"
    return path


def _without_amp_host(host: str) -> str:
    # Outlets that serve AMP from a subdomain (amp.lefigaro.fr) serve articles from www.
    if host.startswith("amp.") and host.count(".") >= 2:
        return "www." + host[len("amp.") :]
    return host


def canonicalize_url(url: str) -> str:
    """Lower-case scheme and host; drop the fragment, default ports, tracking and AMP variants.

    AMP variants (`/amp/` segments, `?amp=1`, `.amp.html`, an `amp.` host) map to the article.
    Never raises and is idempotent: text that is no URL (a bad port, a broken IPv6 host) comes
    back stripped, and fetching it fails later with a logged reason.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    host = _without_amp_host((parts.hostname or "").lower())
    if ":" in host:
        host = f"[{host}]"  # IPv6 literals keep their brackets
    netloc = host
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        netloc = f"{host}:{port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(_TRACKING_PREFIXES) and not _is_amp_parameter(k, v)
    ]
    path = _without_amp_path(parts.path.strip() or "/")
    return urlunsplit((scheme, netloc, path, urlencode(query), "")).strip()


def article_id(url: str) -> str:
    """A short stable id for the article at `url` (its canonical form hashed)."""
    return hashlib.sha256(canonicalize_url(url).encode("utf-8")).hexdigest()[:16]


def _site_host(host: str) -> str:
    for label in _RENDERING_LABELS:
        if host.startswith(label) and host.count(".") >= 2:
            return host[len(label) :]
    return host


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def same_site(host_a: str, host_b: str) -> bool:
    """Whether two hosts belong to one site: equal, or one a subdomain of the other.

    A leading `www.`, `amp.` or `m.` is ignored, so `amp.exemple.fr` and `www.exemple.fr` match.
    """
    a, b = host_a.lower().rstrip("."), host_b.lower().rstrip(".")
    if not a or not b:
        return False
    if _is_ip(a) or _is_ip(b):
        return a == b
    a, b = _site_host(a), _site_host(b)
    return a == b or a.endswith("." + b) or b.endswith("." + a)


def choose_canonical(url: str, canonical_from_page: str | None) -> str:
    """The URL to identify the article by: the page's `rel=canonical` when it is trustworthy.

    The canonical (resolved against `url`) is accepted when it is http(s), on the same site, and
    not the site's home page declared by an article (a common CMS bug); otherwise `url` is kept.
    """
    if not canonical_from_page or not canonical_from_page.strip():
        return url
    try:
        candidate = urljoin(url, canonical_from_page.strip())
        page, declared = urlsplit(url), urlsplit(candidate)
        declared.port  # noqa: B018 - raises on a port that is no port
    except ValueError:
        return url
    if declared.scheme.lower() not in ("http", "https") or not declared.hostname:
        return url
    if not same_site(page.hostname or "", declared.hostname):
        return url
    if declared.path in ("", "/") and not declared.query and page.path not in ("", "/"):
        return url
    return candidate
