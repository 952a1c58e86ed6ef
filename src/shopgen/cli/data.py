"""``shopgen data clean|audit``: data preparation (清洗 · 标注 · 标准化) for any training, evaluation
or knowledge-base file (JSONL or CSV)."""

from __future__ import annotations

import click

from shopgen.cli.common import Context, emit, json_option, pass_ctx


@click.group("data")
def data_group() -> None:
    """Clean, deduplicate, standardise and audit the labels of data files."""


def _split(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [v.strip() for v in value.split(",") if v.strip()] or None


def _common(fn):
    """Options shared by clean and audit (the audit reports what clean would remove)."""
    options = [
        click.argument("file", type=click.Path(dir_okay=False)),
        click.option("--fields", default=None, help="Text fields, comma separated (default: detected)."),
        click.option("--label-field", default=None, help="Default: label (or intent, sentiment) when present."),
        click.option("--labels", default=None, help="Allowed labels, comma separated; any other is an error."),
        click.option("--t2s", is_flag=True, help="Traditional → simplified Chinese (OpenCC t2s)."),
        click.option("--mask/--no-mask", default=True, show_default=True, help="Mask personal data."),
        click.option(
            "--mask-kinds",
            default=None,
            help="Comma separated, or 'all' (default: order,email,id_card,bank_card,mobile,landline; "
            "not address, which misfires on street names in reviews).",
        ),
        click.option("--min-chars", type=int, default=1, show_default=True, help="Per text field."),
        click.option("--max-chars", type=int, default=None, help="Per text field (default: no limit)."),
        click.option("--min-cjk", type=float, default=0.5, show_default=True, help="Least share of Chinese; 0: off."),
        click.option(
            "--near", type=float, default=0.8, show_default=True, help="Near-duplicate Jaccard; 1: exact only."
        ),
        click.option("--ngram", type=int, default=2, show_default=True, help="Character shingle size."),
        click.option(
            "--conflicts",
            type=click.Choice(["drop", "majority", "keep"]),
            default="drop",
            show_default=True,
            help="Duplicates with different labels: drop all, keep the majority label, or keep one per label.",
        ),
        json_option,
        pass_ctx,
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _options(ctx: Context, kw: dict):
    from shopgen.dataprep import Options
    from shopgen.dataprep.clean import DEFAULT_MASK_KINDS
    from shopgen.security.pii import LABELS

    kinds = kw.pop("mask_kinds")
    kinds = tuple(LABELS) if kinds == "all" else tuple(_split(kinds) or DEFAULT_MASK_KINDS)
    return Options(
        mask_kinds=kinds,
        fields=_split(kw.pop("fields")),
        label_field=kw.pop("label_field"),
        labels=_split(kw.pop("labels")),
        t2s=kw.pop("t2s"),
        mask=kw.pop("mask"),
        min_chars=kw.pop("min_chars"),
        max_chars=kw.pop("max_chars"),
        min_cjk=kw.pop("min_cjk"),
        near=kw.pop("near"),
        ngram=kw.pop("ngram"),
        conflicts=kw.pop("conflicts"),
        order_pattern=ctx.settings.pii_order_pattern,
    )


def _summary(r: dict) -> list[str]:
    removed = ", ".join(f"{k} {v}" for k, v in r["removed"].items()) or "nothing"
    lines = [
        f"{r['file']}: {r['rows_out']} of {r['rows_in']} rows kept (text fields: {', '.join(r['text_fields'])}; "
        f"label: {r['label_field'] or '-'})",
        f"removed: {removed}",
    ]
    c = r["conflicts"]
    if c["groups"]:
        lines.append(f"label conflicts: {c['groups']} groups, {c['rows']} rows (policy: {c['policy']})")
        lines += [f"  lines {ex['lines']}: {ex['labels']} {ex['texts'][0]}" for ex in c["examples"]]
    for reason, exs in r["examples"].items():
        for ex in exs:
            of = f" (= line {ex['of_line']}, {ex['similarity']:.2f})" if "of_line" in ex else ""
            lines.append(f"  {reason} line {ex['line']}{of}: {ex['text']}")
    return lines


@data_group.command("clean")
@_common
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="Cleaned file (.jsonl or .csv).")
def clean(ctx: Context, file: str, out: str, as_json: bool, **kw) -> None:
    """Standardise, scrub, filter and deduplicate FILE into --out, and report what was removed and why."""
    from shopgen.dataprep import clean_file

    r = clean_file(file, out, _options(ctx, kw))
    emit(r, as_json, "\n".join([*_summary(r), f"written: {r['out']}"]))


@data_group.command("audit")
@_common
@click.option("--folds", type=int, default=5, show_default=True)
@click.option("--top", type=int, default=20, show_default=True, help="How many suspect rows to list.")
@click.option("--seed", type=int, default=7, show_default=True)
@click.option("--label-audit/--no-label-audit", default=True, show_default=True)
def audit(ctx: Context, file: str, as_json: bool, folds: int, top: int, seed: int, label_audit: bool, **kw) -> None:
    """Duplicate, conflict and filter figures for FILE without writing, plus likely mislabelled rows."""
    from shopgen.dataprep import audit_file

    r = audit_file(file, _options(ctx, kw), folds=folds, top=top, seed=seed, label_audit=label_audit)
    lines = _summary(r)
    la = r.get("label_audit")
    if la:
        lines.append(
            f"label audit: {la['flagged']} of {la['rows']} rows flagged ({la['flagged_share']:.1%}); "
            f"out-of-fold accuracy {la['out_of_fold_accuracy']:.3f}"
        )
        lines += [
            f"  line {f['line']}: {f['given']} → {f['suggested']} ({f['p_given']:.2f} vs {f['p_suggested']:.2f}) "
            f"{f['text'][:60]}"
            for f in la["top"]
        ]
    emit(r, as_json, "\n".join(lines))


def register(cli: click.Group) -> None:
    cli.add_command(data_group)
