"""``python -m eval.build_base_model``: rebuild the suggester's shipped examples from the training corpus.

Reads every labelled document of ``../shared/corpus/train`` the way ingest reads a file (names
neutralised, collector headers removed) and writes their hashed n-gram counts, labels and a
manifest with the sha256 into ``classify/data/model/``. Run it after the corpus or its labels
change, then commit both files; ``make eval`` measures the result on the other real sets.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

from classify.base_examples import save_base_examples
from core.reading.reader import DocumentReader
from eval import eval_ocr_cache
from eval.corpora import REPO, available, train_cases
from eval.real_sets import read_cases
from ingest.ocr import OcrOptions

TARGET = REPO / "classify" / "data" / "model"


def main() -> int:
    if not available():
        print("the training corpus (../shared/corpus/train) is not here; nothing to build", file=sys.stderr)
        return 1
    reader = DocumentReader(neutralise_file_names=True, ocr=OcrOptions(cache_dir=eval_ocr_cache()))
    with tempfile.TemporaryDirectory(prefix="jiandang-base-") as tmp:
        docs, unread = read_cases(train_cases(), reader, Path(tmp))
    day = datetime.now(UTC).date().isoformat()
    manifest = save_base_examples(
        TARGET, [d.features for d in docs], [d.case.expected for d in docs],
        f"{len(docs)} real project documents (../shared/corpus/train, labels.json by the lead), "
        f"read with names neutralised; built {day} by eval.build_base_model",
    )
    print(f"wrote {TARGET}: {manifest['documents']} documents, sha256 {str(manifest['sha256'])[:16]}…")
    for line in unread:
        print(f"  unread: {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
