"""The title catalogue (``classify/data/titles.yaml``) and structure cues (``cues.yaml``) formats.

The taxonomy names each Appendix A row once; real forms name the same thing in many ways — a
government service form (``建设用地规划许可申请表``), a supervision-standard form number
(``表B.0.6``), a contractor's own wording (``方案报审表``). The catalogue lists those names per
taxonomy code, grouped by the standard or form set they come from, so the breadth of real titles is
data with its sources, not code. Loading merges every entry into the taxonomy as a document type.

A title is either a list of regexes (``patterns``) or a compound: a ``subject`` regex followed,
within ``gap`` characters, by one of the form-kind endings named in ``kinds`` (``报审表``, ``申请表``…).
"""

from __future__ import annotations

from pydantic import ConfigDict, Field

from schemas.base import Schema


class _Frozen(Schema):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TitleEntry(_Frozen):
    code: str = Field(description="item (C4-9) or sub-class (A5) the titled document files under")
    name: str = Field(description="document type name shown in the reasons; unique in the taxonomy")
    patterns: tuple[str, ...] = Field(default=(), description="regexes of whole titles")
    subject: str | None = Field(default=None, description="compound title: what the form is about (regex)")
    kind: str | None = Field(default=None, description="compound title: a key of ``kinds`` (the ending)")
    gap: int = Field(default=8, ge=0, le=30, description="characters allowed between subject and ending")
    not_keywords: tuple[str, ...] = Field(default=(), description="a title containing one of these is not it")
    markers: tuple[str, ...] = Field(default=(), description="field labels / headings typical of it")
    min_markers: int = Field(default=3, ge=1)
    strength: float | None = Field(default=None, ge=0.3, le=1.0)
    note: str | None = None


class TitleGroup(_Frozen):
    source: str = Field(description="the standard, form set or rule the titles come from")
    titles: tuple[TitleEntry, ...]


class TitleCatalogue(_Frozen):
    format_version: int
    kinds: dict[str, str] = Field(default_factory=dict, description="form-kind name → ending regex")
    groups: tuple[TitleGroup, ...] = ()


class Party(_Frozen):
    """Who issues a form: recognised by whom it is addressed to and whose seal/signature it carries."""

    name: str
    classes: tuple[str, ...] = Field(description="class letters this party's forms are filed under")
    addressed: tuple[str, ...] = ()
    signed: tuple[str, ...] = ()


class FormNumber(_Frozen):
    pattern: str
    code: str = Field(description="item or sub-class the numbered form files under")


class FormNumberSet(_Frozen):
    source: str
    numbers: tuple[FormNumber, ...]


class CueCatalogue(_Frozen):
    """``classify/data/cues.yaml``: parties (issuer and addressee blocks) and form numbers."""

    format_version: int
    parties: tuple[Party, ...] = ()
    form_numbers: tuple[FormNumberSet, ...] = ()
