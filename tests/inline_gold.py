"""Parse inline-annotated French test sentences into plain text plus expected spans.

`"<funding amount=2500000>2,5 M€</funding> accordés par <org>la Région</org>"` gives the text
`"2,5 M€ accordés par la Région"` and two spans with their tag, attributes and offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_TAG = re.compile(r"<(/?)([a-z_]+)((?:\s+[a-z_]+=(?:\"[^\"]*\"|[^\s>]+))*)\s*>")
_ATTR = re.compile(r"([a-z_]+)=(?:\"([^\"]*)\"|([^\s>]+))")


@dataclass
class GoldSpan:
    tag: str
    start: int
    end: int
    text: str
    attrs: dict[str, str] = field(default_factory=dict)


def parse(annotated: str) -> tuple[str, list[GoldSpan]]:
    """Return (text without tags, spans in order of their opening tag). Tags may nest."""
    out: list[str] = []
    length = 0
    open_stack: list[tuple[str, int, dict[str, str]]] = []
    spans: list[GoldSpan] = []
    pos = 0
    for match in _TAG.finditer(annotated):
        chunk = annotated[pos : match.start()]
        out.append(chunk)
        length += len(chunk)
        pos = match.end()
        closing, tag, raw_attrs = match.groups()
        if not closing:
            attrs = {k: (v1 if v1 else v2) for k, v1, v2 in _ATTR.findall(raw_attrs)}
            open_stack.append((tag, length, attrs))
            continue
        for i in range(len(open_stack) - 1, -1, -1):
            if open_stack[i][0] == tag:
                _, start, attrs = open_stack.pop(i)
                spans.append(GoldSpan(tag, start, length, "", attrs))
                break
        else:
            raise ValueError(f"closing </{tag}> without opening tag in {annotated!r}")
    out.append(annotated[pos:])
    if open_stack:
        raise ValueError(f"unclosed <{open_stack[-1][0]}> in {annotated!r}")
    text = "".join(out)
    for span in spans:
        span.text = text[span.start : span.end]
    spans.sort(key=lambda s: (s.start, -s.end))
    return text, spans
