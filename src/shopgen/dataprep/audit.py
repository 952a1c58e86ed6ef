"""``shopgen data audit``: the cleaning report without writing, plus the label audit.

The label audit runs on the rows cleaning would keep: duplicates are left out because a copy in
the training folds would vouch for its twin's label (hiding the very errors sought), and label
conflicts are already reported as such.
"""

from __future__ import annotations

from pathlib import Path

from shopgen.core.errors import InvalidInput
from shopgen.dataprep import labelaudit, records
from shopgen.dataprep.clean import Options, prepare


def audit_file(
    path: str | Path, opts: Options, *, folds: int = 5, top: int = 20, seed: int = 7, label_audit: bool = True
) -> dict:
    """The report of :func:`~shopgen.dataprep.clean.prepare`, plus ``label_audit`` (summary and
    the ``top`` most suspicious rows) when the file has labels and ``label_audit`` is on."""
    prep = prepare(records.read(path), opts)
    report = {**prep.report}
    report.pop("out", None)
    if not label_audit:
        return report
    if prep.labels is None:
        raise InvalidInput(
            f"{Path(path).name}: no label field for the label audit (use --label-field or --no-label-audit)"
        )
    kept = [i for i, f in enumerate(prep.fate) if f == "keep"]
    texts = ["\n".join(prep.texts[i]) for i in kept]
    summary, flags = labelaudit.audit(texts, [prep.labels[i] for i in kept], folds=folds, seed=seed)
    rows = prep.table.rows
    summary["top"] = [
        {
            "line": rows[kept[f.index]].line,
            "text": texts[f.index],
            "given": f.given,
            "suggested": f.suggested,
            "p_given": round(f.p_given, 4),
            "p_suggested": round(f.p_suggested, 4),
        }
        for f in flags[:top]
    ]
    report["label_audit"] = summary
    return report
