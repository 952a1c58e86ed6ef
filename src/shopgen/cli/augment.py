"""``shopgen augment``: more training rows from a labelled file (EDA edits, LLM paraphrases)."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click

from shopgen.cli.common import Context, emit, json_option, pass_ctx
from shopgen.core.errors import InvalidInput

CLASSIFIERS = ("auto", "intent", "live-intent", "sentiment", "none")


def _labeler(ctx: Context, name: str):
    """``texts -> labels`` with the runtime's model ``name`` (the shipped one unless configured)."""
    if name == "intent":
        model, embedder = ctx.runtime.intent(), ctx.runtime.embedder()
        return lambda texts: [lb for lb, _ in model.predict(texts, embedder)]
    if name == "live-intent":
        model = ctx.runtime.live_intent()
        return lambda texts: [lb for lb, _ in model.predict(texts)]
    if name == "sentiment":
        model = ctx.runtime.sentiment()
        return lambda texts: ["1" if p >= 0.5 else "0" for p in model.proba(texts)]
    return None


def _pick(ctx: Context, name: str, labels: set[str]) -> str:
    if name != "auto":
        return name
    if labels <= {"0", "1"}:
        return "sentiment"
    from shopgen.live.intent import LABELS as LIVE

    if labels <= set(ctx.runtime.intent().labels):
        return "intent"
    if labels <= set(LIVE):
        return "live-intent"
    raise InvalidInput(
        f"no shipped classifier knows the labels {', '.join(sorted(labels))}; "
        "pass --classifier none to paraphrase without the label check"
    )


@click.command("augment")
@click.option(
    "--data", required=True, type=click.Path(dir_okay=False), help='JSONL {"text","label"} or CSV (label + review/text)'
)
@click.option("--method", type=click.Choice(["eda", "paraphrase", "both"]), default="eda", show_default=True)
@click.option(
    "--n-per-row",
    default=4,
    show_default=True,
    type=click.IntRange(1, 32),
    help="Variants asked for per row and method.",
)
@click.option(
    "--seed",
    default=0,
    show_default=True,
    type=int,
    help="Seed of EDA's edits and of the paraphrases' sampling (each row's own, from this and its text).",
)
@click.option(
    "--alpha",
    default=0.1,
    show_default=True,
    type=click.FloatRange(0.01, 0.5),
    help="Share of words each EDA edit changes.",
)
@click.option(
    "--min-similarity",
    default=0.95,
    show_default=True,
    type=click.FloatRange(0, 1),
    help="e5 cosine with the original a paraphrase needs (unrelated shop questions score 0.85-0.89).",
)
@click.option(
    "--classifier",
    type=click.Choice(CLASSIFIERS),
    default="auto",
    show_default=True,
    help="Checks a paraphrase keeps its label.",
)
@click.option(
    "--lexicon",
    type=click.Path(dir_okay=False),
    default=None,
    help="Synonym groups, one a line (default: the shipped one).",
)
@click.option("--only-new", is_flag=True, help="Write only the new rows, not the originals with them.")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="JSONL to write.")
@json_option
@pass_ctx
def augment_cmd(
    ctx: Context,
    data: str,
    method: str,
    n_per_row: int,
    seed: int,
    alpha: float,
    min_similarity: float,
    classifier: str,
    lexicon: str | None,
    only_new: bool,
    out: str,
    as_json: bool,
) -> None:
    """Write DATA's rows plus augmented ones (facts such as sizes, prices and materials never edited)."""
    from shopgen.augment import pipeline, rows
    from shopgen.augment.lexicon import Lexicon

    if Path(out).suffix.lower() != ".jsonl":
        raise InvalidInput(f"{Path(out).name}: the output is JSON Lines; name it .jsonl")
    if Path(out).resolve() == Path(data).resolve():
        raise InvalidInput("--out must not be the input file")
    items = rows.read(data)
    lex = Lexicon.load(lexicon) if lexicon else None
    kwargs, name, bar = {}, None, contextlib.nullcontext()
    if method != "eda":
        name = _pick(ctx, classifier, {r.label for r in items})
        kwargs = {"llm": ctx.runtime.llm(), "embedder": ctx.runtime.embedder(), "labeler": _labeler(ctx, name)}
        bar = click.progressbar(length=len(items), label="paraphrasing", file=sys.stderr)
    with bar as b:
        records, report = pipeline.run(
            items,
            method=method,
            n_per_row=n_per_row,
            seed=seed,
            alpha=alpha,
            lexicon=lex,
            min_similarity=min_similarity,
            with_originals=not only_new,
            progress=b.update if b is not None else None,
            **kwargs,
        )
    rows.write(records, out)
    report.update(classifier=name, out=out)
    parts = [f"{k} kept {v['kept']} of {v['generated']}" for k, v in report.items() if isinstance(v, dict)]
    emit(report, as_json, f"wrote {report['written']} rows to {out} ({'; '.join(parts)})")


def register(cli: click.Group) -> None:
    cli.add_command(augment_cmd)
