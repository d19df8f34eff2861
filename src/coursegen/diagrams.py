"""Draw a diagram's data (nodes and edges) as a self-contained SVG, in pure Python.

Layout: each node's row is its longest distance from a node without incoming edges
(edges that go back up are drawn as side arrows); nodes of a row sit side by side.
Labels are wrapped by character count, which is good enough for short labels in a
sans-serif font and needs no font metrics or system binary.
"""

from __future__ import annotations

import textwrap
from typing import Any
from xml.sax.saxutils import escape

BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN = 220, 64, 40, 56, 20
CHARS_PER_LINE = 26
LANE_GAP = 28


def _rows(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> dict[str, int]:
    order = [n["id"] for n in nodes]
    incoming: dict[str, list[str]] = {n: [] for n in order}
    for e in edges:
        if e["from"] in incoming and e["to"] in incoming:
            incoming[e["to"]].append(e["from"])
    row: dict[str, int] = {}

    def depth(node: str, stack: frozenset[str]) -> int:
        if node in row:
            return row[node]
        parents = [p for p in incoming[node] if p not in stack and order.index(p) < order.index(node)]
        row[node] = 1 + max((depth(p, stack | {node}) for p in parents), default=-1)
        return row[node]

    for n in order:
        depth(n, frozenset())
    return row


def render_svg(data: dict[str, Any], lang: str) -> str:
    nodes = list(data["nodes"])
    edges = _edges(data)
    rows = _rows(nodes, edges)
    by_row: dict[int, list[str]] = {}
    for n in nodes:
        by_row.setdefault(rows[n["id"]], []).append(n["id"])
    long_edges = [e for e in edges if abs(rows[e["to"]] - rows[e["from"]]) > 1 or rows[e["to"]] < rows[e["from"]]]
    lanes = {id(e): i for i, e in enumerate(long_edges)}
    content_w = max(len(v) for v in by_row.values()) * (BOX_W + GAP_X) - GAP_X
    width = content_w + 2 * MARGIN + (LANE_GAP * (len(long_edges) + 1) if long_edges else 0)
    height = (max(by_row) + 1) * (BOX_H + GAP_Y) - GAP_Y + 2 * MARGIN
    centre: dict[str, tuple[float, float]] = {}
    for r, ids in by_row.items():
        row_w = len(ids) * (BOX_W + GAP_X) - GAP_X
        x0 = MARGIN + (content_w - row_w) / 2
        for i, ident in enumerate(ids):
            centre[ident] = (x0 + i * (BOX_W + GAP_X) + BOX_W / 2, MARGIN + r * (BOX_H + GAP_Y) + BOX_H / 2)

    title = escape(data["title"][lang])
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" '
        f'width="{width:g}" height="{height:g}" role="img" aria-labelledby="t">',
        f'<title id="t">{title}</title>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
        'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>',
        f'<rect width="{width:g}" height="{height:g}" fill="#fff"/>',
        '<g font-family="sans-serif" font-size="14" fill="#111">',
    ]
    for e in edges:
        (x1, y1), (x2, y2) = centre[e["from"]], centre[e["to"]]
        if id(e) in lanes:  # skips a row or goes back up: run in its own lane on the right
            side = MARGIN + content_w + LANE_GAP * (lanes[id(e)] + 1)
            start, end = (x1 + BOX_W / 2, y1), (x2 + BOX_W / 2, y2)
            path = f"M{start[0]:g},{start[1]:g} L{side:g},{y1:g} L{side:g},{y2:g} L{end[0]:g},{end[1]:g}"
            start = end = (x1 + BOX_W / 2 + 2, y1 - 8)  # label just above the start of the arrow
        elif y2 > y1:
            start, end = (x1, y1 + BOX_H / 2), (x2, y2 - BOX_H / 2)
            path = f"M{start[0]:g},{start[1]:g} L{end[0]:g},{end[1]:g}"
        else:
            direction = 1 if x2 > x1 else -1
            start, end = (x1 + direction * BOX_W / 2, y1), (x2 - direction * BOX_W / 2, y2)
            path = f"M{start[0]:g},{start[1]:g} L{end[0]:g},{end[1]:g}"
        out.append(f'<path d="{path}" fill="none" stroke="#333" stroke-width="1.5" marker-end="url(#arrow)"/>')
        if "label" in e:
            lx, ly = (start[0] + end[0]) / 2 + 6, (start[1] + end[1]) / 2
            out.append(f'<text x="{lx:g}" y="{ly:g}" font-style="italic">{escape(e["label"][lang])}</text>')
    for n in nodes:
        cx, cy = centre[n["id"]]
        if n.get("shape") == "decision":
            hw, hh = BOX_W / 2, BOX_H / 2 + 6
            out.append(
                f'<polygon points="{cx:g},{cy - hh:g} {cx + hw:g},{cy:g} {cx:g},{cy + hh:g} {cx - hw:g},{cy:g}" '
                'fill="#fff4d6" stroke="#7a5200" stroke-width="2"/>'
            )
            chars = CHARS_PER_LINE - 6
        else:
            out.append(
                f'<rect x="{cx - BOX_W / 2:g}" y="{cy - BOX_H / 2:g}" width="{BOX_W}" height="{BOX_H}" rx="8" '
                'fill="#e8f0fb" stroke="#1f4e8c" stroke-width="2"/>'
            )
            chars = CHARS_PER_LINE
        lines = textwrap.wrap(n["label"][lang], chars) or [""]
        first = cy - (len(lines) - 1) * 8.5 + 5
        for k, line in enumerate(lines):
            out.append(f'<text x="{cx:g}" y="{first + k * 17:g}" text-anchor="middle">{escape(line)}</text>')
    out.append("</g></svg>")
    return "\n".join(out) + "\n"


def _edges(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The edges between known nodes (validation reports the others)."""
    ids = {n["id"] for n in data["nodes"]}
    return [e for e in data.get("edges", []) if e["from"] in ids and e["to"] in ids]


def text_version(data: dict[str, Any], lang: str) -> list[str]:
    """The diagram as sentences, one per node, for readers who cannot see the picture."""
    labels = {n["id"]: n["label"][lang] for n in data["nodes"]}
    lines = []
    for n in data["nodes"]:
        targets = []
        for e in _edges(data):
            if e["from"] == n["id"]:
                target = labels[e["to"]]
                targets.append(f"{e['label'][lang]} → {target}" if "label" in e else target)
        line = labels[n["id"]]
        if targets:
            line += " → " + (" ; " if lang == "fr" else "; ").join(targets)  # French: a space before ';'
        lines.append(line)
    return lines
