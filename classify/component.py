"""Haystack component: classify every document of a pipeline run and record the verdict in its meta.

The component only reads what earlier components put into ``Document.meta`` (title, folder hints,
original file name; see ``schemas.meta``) and the content, and writes one key back:
``classification``. Loading and compiling the taxonomy happens in ``warm_up`` so that building a
pipeline stays cheap and a broken taxonomy fails at start-up, not on the first document.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from haystack import Document, component

from classify.rules import DEFAULT_REVIEW_THRESHOLD, RuleClassifier
from classify.taxonomy import load_taxonomy
from schemas import meta as M

logger = logging.getLogger(__name__)


@component
class DocumentClassifier:
    """Sets meta ``classification`` = ``Classification.model_dump(mode="json")`` on each document.

    ``taxonomy_path`` is a full taxonomy file or a locality override of the shipped one (None: the
    shipped taxonomy). ``neutralise_file_names`` hides the original file name from the classifier,
    so that evaluation measures what the content alone decides.
    """

    def __init__(
        self,
        taxonomy_path: str | None = None,
        review_threshold: float = DEFAULT_REVIEW_THRESHOLD,
        neutralise_file_names: bool = False,
    ) -> None:
        self.taxonomy_path = taxonomy_path
        self.review_threshold = review_threshold
        self.neutralise_file_names = neutralise_file_names
        self._classifier: RuleClassifier | None = None

    def warm_up(self) -> None:
        self._ready()

    def _ready(self) -> RuleClassifier:
        if self._classifier is None:
            taxonomy = load_taxonomy(Path(self.taxonomy_path) if self.taxonomy_path else None)
            self._classifier = RuleClassifier(taxonomy, review_threshold=self.review_threshold)
        return self._classifier

    @component.output_types(documents=list[Document])
    def run(self, documents: list[Document]) -> dict[str, list[Document]]:
        classifier = self._ready()
        classified = []
        for document in documents:
            meta = dict(document.meta)
            verdict = classifier.classify(
                title=meta.get(M.TITLE),
                text=document.content or "",
                folder_hints=_hints(meta.get(M.FOLDER_HINTS)),
                file_name=None if self.neutralise_file_names else meta.get(M.ORIGINAL_NAME),
            )
            meta[M.CLASSIFICATION] = verdict.model_dump(mode="json")
            logger.debug("%s → %s", meta.get(M.ORIGINAL_NAME), verdict.class_code)
            classified.append(replace(document, meta=meta))
        return {"documents": classified}


def _hints(value: object) -> list[str]:
    """Folder hints as a list of names, whatever shape an upstream component left them in."""
    if not value:
        return []
    if isinstance(value, list | tuple):
        return [str(hint) for hint in value if hint]
    return [str(value)]
