"""How `veille review` serves the desk: uvicorn, trusting forwarded headers only from the
proxies it is told about.

uvicorn believes `X-Forwarded-For` and `X-Forwarded-Proto` from 127.0.0.1 by default, which
lets any local client pick the address the login limits count. Here they are ignored unless
`forwarded_allow_ips` names the proxy; then the proxy's client address is the one limited, and
a request the proxy says came over HTTPS gets a Secure session cookie.
"""

from __future__ import annotations

from pathlib import Path

import uvicorn

from veille.review.app import create_app


def server_config(
    db_path: str | Path,
    host: str = "127.0.0.1",
    port: int = 8766,
    forwarded_allow_ips: str | None = None,
    secure_cookies: bool = False,
) -> uvicorn.Config:
    """The uvicorn configuration of the desk for `db_path`."""
    return uvicorn.Config(
        create_app(db_path, secure_cookies=secure_cookies),
        host=host,
        port=port,
        log_level="warning",
        proxy_headers=bool(forwarded_allow_ips),
        forwarded_allow_ips=forwarded_allow_ips or "",
        server_header=False,
        # An idle or slow client does not hold a connection for long.
        timeout_keep_alive=5,
    )
