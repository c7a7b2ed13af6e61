"""The oversight page's pictures as inline SVG (no script, no CDN): the ledger as a waterfall
(合同价 → 变更 → 洽商 → 签证 → 审定结算, against the 概算) and the change ledger over time
(cumulative % of the contract, with the approval line); and a document's text with the passages
its facts came from marked.

Everything here is built from escaped text: titles and labels come from documents and must never
become markup.
"""

from __future__ import annotations

from datetime import date

from markupsafe import Markup, escape

from schemas.oversight import DocumentFacts, OversightDetail

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 720, 300, 96, 20, 28, 56


def _wan(amount: float) -> str:
    return f"{amount / 10000:,.1f}万"


def waterfall(detail: OversightDetail) -> Markup | None:
    """合同价, each kind of change, the rest of the settlement, and the settled total; 概算 as a line."""
    ledger = detail.report.ledger
    if not ledger.contract_price:
        return None
    sums: dict[str, float] = {}
    for entry in detail.report.changes:
        sums[entry.kind] = sums.get(entry.kind, 0.0) + (entry.amount or 0.0)
    steps: list[tuple[str, float, str]] = [("合同价", ledger.contract_price, "base")]
    steps += [(kind, amount, "delta") for kind, amount in sums.items()]
    running = ledger.contract_price + sum(sums.values())
    if ledger.settlement_approved is not None:
        rest = ledger.settlement_approved - running
        if abs(rest) >= 0.5:
            steps.append(("其他结算调整", rest, "delta"))
        steps.append(("审定结算", ledger.settlement_approved, "total"))
    else:
        steps.append(("合同价＋变更", running, "total"))
    tops, level = [], 0.0
    for _, amount, kind in steps:
        level = amount if kind != "delta" else level + amount
        tops.append(level)
    budget = ledger.approved_budget
    high = max([*tops, budget or 0.0]) * 1.04
    low = min(tops) * 0.85
    if high <= low:
        return None
    plot_h, plot_w = HEIGHT - TOP - BOTTOM, WIDTH - LEFT - RIGHT

    def y(value: float) -> float:
        return TOP + plot_h * (1 - (value - low) / (high - low))

    slot = plot_w / len(steps)
    parts = [f'<svg class="waterfall" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="资金链瀑布图" '
             f'xmlns="http://www.w3.org/2000/svg">',
             f'<text class="axis" x="{WIDTH - RIGHT}" y="{HEIGHT - 6}" text-anchor="end">纵轴自 {escape(_wan(low))} 起（元）</text>',
             f'<line class="axis" x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - BOTTOM}"/>']
    level = 0.0
    for index, (label, amount, kind) in enumerate(steps):
        start = low if kind != "delta" else level
        end = amount if kind != "delta" else level + amount
        level = end
        x = LEFT + index * slot + slot * 0.18
        top, bottom = y(max(start, end)), y(min(start, end))
        css = {"base": "bar base", "total": "bar total"}.get(kind, "bar up" if amount >= 0 else "bar down")
        shown = _wan(amount) if kind != "delta" else ("+" if amount >= 0 else "") + _wan(amount)
        parts.append(f'<rect class="{css}" x="{x:.1f}" y="{top:.1f}" width="{slot * 0.64:.1f}" '
                     f'height="{max(bottom - top, 1.5):.1f}"><title>{escape(label)}：¥{amount:,.2f}</title></rect>')
        parts.append(f'<text class="value" x="{x + slot * 0.32:.1f}" y="{top - 5:.1f}">{escape(shown)}</text>')
        parts.append(f'<text class="label" x="{x + slot * 0.32:.1f}" y="{HEIGHT - BOTTOM + 18}">{escape(label)}</text>')
    if budget:
        parts.append(f'<line class="budget" x1="{LEFT}" y1="{y(budget):.1f}" x2="{WIDTH - RIGHT}" y2="{y(budget):.1f}"/>')
        parts.append(f'<text class="budget" x="{LEFT - 4}" y="{y(budget) + 4:.1f}">概算 {escape(_wan(budget))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def change_curve(detail: OversightDetail, approval_line: float) -> Markup | None:
    """Cumulative changes as % of the contract over time, with the local approval line dashed."""
    contract = detail.report.ledger.contract_price
    dated = [entry for entry in detail.report.changes if entry.date is not None and entry.amount is not None]
    if not contract or not dated:
        return None
    first = min(c.date for c in detail.contracts if c.date) if any(c.date for c in detail.contracts) else dated[0].date
    start, end = min(first, dated[0].date), max(dated[-1].date, dated[0].date)
    span = max((end - start).days, 1)
    points, running = [(start, 0.0)], 0.0
    for entry in dated:
        running += entry.amount
        points.append((entry.date, running / contract))
    top = max(max(abs(p[1]) for p in points), approval_line) * 1.2
    plot_h, plot_w = HEIGHT - TOP - BOTTOM, WIDTH - LEFT - RIGHT

    def xy(day: date, ratio: float) -> tuple[float, float]:
        return LEFT + plot_w * (day - start).days / span, TOP + plot_h * (1 - ratio / top)

    path, previous = [], None
    for day, ratio in points:
        x, y = xy(day, ratio)
        if previous is not None:
            path.append(f"{x:.1f},{previous:.1f}")  # a step: the total holds until the next change
        path.append(f"{x:.1f},{y:.1f}")
        previous = y
    line_y = xy(start, approval_line)[1]
    parts = [f'<svg class="curve" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="变更签证累计占合同价" '
             f'xmlns="http://www.w3.org/2000/svg">',
             f'<line class="axis" x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - BOTTOM}"/>',
             f'<line class="budget" x1="{LEFT}" y1="{line_y:.1f}" x2="{WIDTH - RIGHT}" y2="{line_y:.1f}"/>',
             f'<text class="budget" x="{LEFT - 4}" y="{line_y + 4:.1f}">审批线 {approval_line * 100:.0f}%</text>',
             f'<polyline class="steps" points="{" ".join(path)}"/>']
    for entry, (day, ratio) in zip(dated, points[1:], strict=True):
        x, y = xy(day, ratio)
        parts.append(f'<circle class="change" cx="{x:.1f}" cy="{y:.1f}" r="4"><title>{escape(entry.kind)} '
                     f'{escape(entry.number or "")} {day}：¥{entry.amount:,.2f}，累计 {ratio * 100:.1f}%</title></circle>')
    for day, anchor in ((start, "start"), (end, "end")):
        x = xy(day, 0)[0]
        parts.append(f'<text class="label" x="{x:.1f}" y="{HEIGHT - BOTTOM + 18}" style="text-anchor:{anchor}">'
                     f'{day.isoformat()}</text>')
    parts.append(f'<text class="axis" x="{LEFT}" y="{TOP - 10}">累计变更占合同价</text></svg>')
    return Markup("".join(parts))


def marked_pages(text: str, facts: DocumentFacts) -> list[Markup]:
    """The document's pages as escaped text with each fact's passage in <mark id="f{n}">."""
    spans = sorted((fact.evidence.start, fact.evidence.end, index) for index, fact in enumerate(facts.facts)
                   if fact.evidence.end > fact.evidence.start)
    pieces, cursor = [], 0
    for start, end, index in spans:
        if start < cursor:
            continue  # overlapping passages: the first one is marked
        pieces.append(escape(text[cursor:start]))
        pieces.append(Markup(f'<mark id="f{index}">') + escape(text[start:end]) + Markup("</mark>"))
        cursor = end
    pieces.append(escape(text[cursor:]))
    return [Markup(page) for page in Markup("").join(pieces).split("\f")]
