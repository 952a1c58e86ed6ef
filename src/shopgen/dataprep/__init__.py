"""Data preparation (清洗 · 标注 · 标准化) for training, evaluation and knowledge-base files.

- :mod:`~shopgen.dataprep.records`: read JSONL/CSV, find the text and label fields, write atomically.
- :mod:`~shopgen.dataprep.normalise`: standardisation (width, punctuation, whitespace, HTML), OpenCC t2s.
- :mod:`~shopgen.dataprep.dedup`: exact and MinHash-LSH near duplicates, label conflicts.
- :mod:`~shopgen.dataprep.clean`: the pipeline and its report (``shopgen data clean``).
- :mod:`~shopgen.dataprep.labelaudit`: likely mislabelled rows by cross-validated confidence.
- :mod:`~shopgen.dataprep.audit`: the report without writing, plus the label audit (``shopgen data audit``).

The ``data`` extra brings ``datasketch`` (MinHash) and ``opencc`` (t2s); the label audit uses
scikit-learn from the ``insight`` extra.
"""

from shopgen.dataprep.audit import audit_file
from shopgen.dataprep.clean import Options, clean_file, prepare

__all__ = ["Options", "audit_file", "clean_file", "prepare"]
