"""The Chinese words every oversight view uses (CLI, web page, 审计底稿), in one place."""

from __future__ import annotations

LEDGER_LABELS = {
    "estimate": "投资估算", "approved_budget": "批复概算", "control_price": "招标控制价", "bid_price": "中标价",
    "contract_price": "合同价（原始）", "changes_total": "变更及签证合计", "settlement_submitted": "结算送审",
    "settlement_approved": "结算审定", "final_accounts": "竣工决算", "paid_total": "累计支付",
}
CHANGE_KINDS = {"design_change": "设计变更", "negotiation": "工程洽商", "visa": "现场签证"}
SEVERITY_ZH = {"high": "高", "medium": "中", "low": "低"}
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
DISCLAIMER = "疑点是打开档案核查的理由，不是结论。"


def yuan(amount: float | None) -> str:
    """¥1,234.56 (−¥1,234.56 for a decrease), or — when the archive does not state it."""
    if amount is None:
        return "—"
    return f"-¥{-amount:,.2f}" if amount < 0 else f"¥{amount:,.2f}"
