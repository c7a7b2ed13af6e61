"""One signed-in browser tab of one role at 1366×768, shared by the workbench's role walks.

``Walk.visit`` and ``Walk.check`` look at a page the way a reviewer does (no sideways scrolling, no
``\\u`` escapes, no raw JSON, no English status or action codes) and photograph it; ``Walk.api``
reads the same archive's HTTP API with the tab's own session, so a step can assert what it changed
in the catalog rather than what the page claims.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.browser.conftest import Site

WIDTH, HEIGHT = 1366, 768
JSON_LIKE = re.compile(r'\{\s*"[a-z_]+"\s*:|\[\s*\{')
ENGLISH = re.compile(r"\b(processed|quarantined|received|ingested|duplicate|pending|running|failed|"
                     r"document\.view|document\.preview|original\.download|upload\.done|login\.failed|search\.save|"
                     r"reclassified|reclassify|converted|classified|indexed|exported|moved|edited|"
                     r"archivist|auditor|asset_manager|relevance|排序 date|not_found|permission_denied|input_error|project_not_found)\b")


class Walk:
    """One signed-in browser tab of one role; ``visit`` checks and photographs a page."""

    def __init__(self, browser, site: Site, role: str, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
        self.context = browser.new_context(locale="zh-CN", viewport={"width": WIDTH, "height": HEIGHT},
                                           accept_downloads=True, timezone_id="Asia/Shanghai")
        self.page = self.context.new_page()
        self.site, self.role = site, role
        self.folder = artifacts / "roles"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.shots = 0
        user, password = site.login_of(role)
        self.page.goto(f"{site.base_url}/login")
        self.page.fill("input[name=username]", user)
        self.page.fill("input[name=password]", password)
        self.page.click("button:has-text('登录')")
        self.page.wait_for_url(re.compile(r"/$"))

    def visit(self, path: str, name: str, status: int = 200) -> str:
        answer = self.page.goto(self.site.base_url + path)
        assert answer is not None and answer.status == status, (self.role, path, answer and answer.status)
        self.page.wait_for_load_state("networkidle")  # previews (the PDF viewer) drawn before the screenshot
        return self.check(name)

    def check(self, name: str) -> str:
        page = self.page
        where = f"{self.role} {page.url}"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= WIDTH, f"{where}: the page is {width} px wide at {WIDTH}: it scrolls sideways"
        text = page.inner_text("body")
        assert "\\u" not in text, f"{where}: shows \\u escapes"
        assert not JSON_LIKE.search(text), f"{where}: shows raw JSON"
        found = ENGLISH.search(text)
        assert found is None, f"{where}: shows the code {found.group(0)!r}: …{text[max(0, found.start() - 60):found.end() + 60]}…"
        assert page.locator("header.top nav").count() == 1, f"{where}: the navigation bar is missing"
        self.shots += 1
        page.screenshot(path=self.folder / f"{self.role}-{self.shots:02d}-{name}.png", full_page=False)
        return text

    def api(self, path: str) -> Any:
        """The JSON answer of ``GET /api…`` with this tab's session cookie (what the catalog now says)."""
        answer = self.context.request.get(self.site.base_url + path)
        assert answer.status == 200, (path, answer.status, answer.text()[:300])
        return answer.json()

    def download(self, selector: str, name: str) -> Path:
        """Click a download link and keep the file beside the screenshots."""
        with self.page.expect_download() as waiting:
            self.page.click(selector)
        kept = self.folder / f"{self.role}-{name}{Path(waiting.value.suggested_filename).suffix}"
        waiting.value.save_as(kept)
        return kept

    def close(self) -> None:
        self.context.close()
