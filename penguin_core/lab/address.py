"""The address learners can open: the server's public address when one is set, else the instructor's own.

An instructor who browses on the server itself sees ``http://localhost:8501``: a join link built from it
works on that computer only. ``PENGUIN_PUBLIC_URL`` in the server's environment (deploy/start.sh's replicas
inherit it) names the address learners use; without it, a local address is flagged so the page can say
what to hand out instead.
"""

from __future__ import annotations

import ipaddress
import os
from urllib.parse import urlsplit

PUBLIC_URL = "PENGUIN_PUBLIC_URL"
LOCAL_NAMES = {"localhost", "0.0.0.0", "::", ""}


def public_base(browser_url: str, environ=os.environ) -> str:
    """The address learners open, without a page: the configured one, else the browser's own base."""
    configured = environ.get(PUBLIC_URL, "").strip().rstrip("/")
    if configured.startswith(("http://", "https://")):
        return configured
    return (browser_url or "").rsplit("/", 1)[0]


def only_here(base: str) -> bool:
    """Whether ``base`` reaches this computer only (localhost, a loopback address)."""
    host = (urlsplit(base).hostname or "").lower()
    if host in LOCAL_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
