"""The redactor: every text bound for a package passes ``clean``, and every hidden value is listed.

Three sources of what to hide: the finders (ID, mobile, bank account, address), the project's
known persons who hold no published role (their names, wherever they appear), and the reviewer's
own additions (any text, hidden wherever it appears). ``scan_source`` lists what a source
document's body holds without publishing any of it, so the reviewer sees, per document, the
personal data the package was built around.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from disclosure.detectors import Finding, find_all, find_labelled_names
from disclosure.redaction_rules import RedactionRules
from schemas.disclosure import Redaction


@dataclass(frozen=True)
class ManualRedaction:
    """A text the reviewer wants hidden wherever it appears, with who asked and why."""

    text: str
    by: str
    reason: str | None = None


def known_persons(texts: Iterable[str], rules: RedactionRules) -> dict[str, set[str]]:
    """Name → the role labels it was written after, over all the given texts."""
    persons: dict[str, set[str]] = {}
    for text in texts:
        for name, role in find_labelled_names(text, rules):
            persons.setdefault(name, set()).add(role)
    return persons


class Redactor:
    def __init__(self, rules: RedactionRules, today: date, persons: dict[str, set[str]] | None = None,
                 manual: Iterable[ManualRedaction] = ()) -> None:
        self.rules = rules
        self.today = today
        self.persons = {name: set(roles) for name, roles in (persons or {}).items()}
        self.manual = [m for m in manual if m.text.strip()]
        self.redactions: list[Redaction] = []
        self._seen: set[tuple[str, str, str | None, str | None, str | None, str]] = set()
        self._from_sources: dict[str, str] = {}  # text found in a source body → its kind

    # -- who may be named ---------------------------------------------------------------------
    def published_person(self, name: str) -> bool:
        return any(self.rules.is_published_role(role) for role in self.persons.get(name, ()))

    def _hidden_names(self, text: str) -> list[str]:
        for name, role in find_labelled_names(text, self.rules):
            self.persons.setdefault(name, set()).add(role)
        return sorted((name for name in self.persons if name in text and not self.published_person(name)),
                      key=len, reverse=True)

    # -- recording ----------------------------------------------------------------------------
    def _record(self, kind: str, original: str, where: str, item_key: str | None, field: str | None,
                document_id: str | None, by: str = "自动", reason: str | None = None) -> None:
        key = (kind, original, item_key, field, document_id, where)
        if key in self._seen:
            return
        self._seen.add(key)
        self.redactions.append(Redaction(
            id=len(self.redactions) + 1, kind=kind, kind_name=self.rules.kind_name(kind), original=original,  # type: ignore[arg-type]
            replacement=self.rules.replacement(kind), where=where, item_key=item_key, field=field,  # type: ignore[arg-type]
            document_id=document_id, by=by, reason=reason))

    # -- cleaning -----------------------------------------------------------------------------
    def _spans(self, text: str) -> list[tuple[int, int, str, ManualRedaction | None]]:
        spans: list[tuple[int, int, str, ManualRedaction | None]] = [
            (f.start, f.end, f.kind, None) for f in find_all(text, self.rules, self.today)]
        for value, kind in self._from_sources.items():
            spans += [(at, at + len(value), kind, None) for at in _occurrences(text, value)]
        for manual in self.manual:
            spans += [(at, at + len(manual.text), "manual", manual) for at in _occurrences(text, manual.text)]
        for name in self._hidden_names(text):
            spans += [(at, at + len(name), "person_name", None) for at in _occurrences(text, name)]
        spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        kept: list[tuple[int, int, str, ManualRedaction | None]] = []
        for span in spans:
            if kept and span[0] < kept[-1][1]:
                continue
            kept.append(span)
        return kept

    def clean(self, text: str | None, *, item_key: str | None = None, field: str | None = None,
              document_id: str | None = None) -> str | None:
        """The text with every personal datum replaced; each replacement is listed."""
        if text is None:
            return None
        out: list[str] = []
        position = 0
        for start, end, kind, manual in self._spans(text):
            out.append(text[position:start])
            out.append(self.rules.replacement(kind))
            self._record(kind, text[start:end], "content", item_key, field, document_id,
                         by=manual.by if manual else "自动", reason=manual.reason if manual else None)
            position = end
        out.append(text[position:])
        return "".join(out)

    def person(self, name: str, label: str, *, item_key: str, document_id: str | None) -> str:
        """A field that holds a person's name: published when its label is a published role."""
        if self.rules.is_published_role(label):
            self.persons.setdefault(name, set()).add(label)
            return self.clean(name, item_key=item_key, field=label, document_id=document_id) or ""
        self._record("person_name", name, "content", item_key, label, document_id)
        return self.rules.replacement("person_name")

    def scan_source(self, text: str, document_id: str) -> list[Finding]:
        """List the personal data in a source document's body (which is never published)."""
        found = find_all(text, self.rules, self.today)
        for finding in found:
            value = finding.text(text)
            self._record(finding.kind, value, "source", None, None, document_id)
            if len(value.strip()) >= 4:
                self._from_sources.setdefault(value, finding.kind)
        return found

    def hidden_values(self) -> set[str]:
        """Every hidden text: none of them may appear in a package (``package.check_clean``)."""
        return {r.original for r in self.redactions if len(r.original.strip()) >= 2}


def _occurrences(text: str, needle: str) -> list[int]:
    found, at = [], text.find(needle)
    while at >= 0:
        found.append(at)
        at = text.find(needle, at + len(needle))
    return found
