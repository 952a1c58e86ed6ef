"""``shopgen intent train|eval|classify``: the assistant's intent classifier."""

from __future__ import annotations

import time
from pathlib import Path

import click

from shopgen.assistant.intent import BALANCE, abstain_table
from shopgen.cli.common import Context, emit, json_option, pass_ctx
from shopgen.core.errors import InvalidInput


@click.group("intent")
def intent_group() -> None:
    """Shopper-turn intent (product, order_status, return, complaint, shipping, payment, …)."""


# one option for train and eval --train: a fixed C, or (default) C and the halves' mix chosen by CV
c_option = click.option(
    "--c",
    "c",
    type=click.FloatRange(0, min_open=True),
    default=None,
    help="Inverse regularisation for both halves (equal weights; with eval: for --train); "
    "default: chosen by 3-fold cross-validation.",
)


def _embedder(ctx: Context, use: bool):
    return ctx.runtime.embedder() if use else None


@intent_group.command("train")
@click.option(
    "--data",
    required=True,
    type=click.Path(dir_okay=False),
    help='JSONL lines {"text", "label"}; labels written parent/label (售后/退货) train a parent head too.',
)
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Default: <data dir>/intent.npz")
@click.option("--embed/--no-embed", default=True, show_default=True, help="Also fit the e5 half.")
@click.option(
    "--balance",
    type=click.FloatRange(0, 1),
    default=BALANCE,
    show_default=True,
    help="Class weighting: 0 as the data come, 1 every intent weighs the same (rare intents).",
)
@c_option
@json_option
@pass_ctx
def train(
    ctx: Context, data: str, out: str | None, embed: bool, balance: float, c: float | None, as_json: bool
) -> None:
    """Fit a classifier on labelled turns and save it."""
    import hashlib

    from shopgen.assistant.intent import fit
    from shopgen.models.textclf import read_labelled

    texts, labels = read_labelled(data)
    model = fit(texts, labels, source=Path(data).name, embedder=_embedder(ctx, embed), balance=balance, c=c)
    model.meta["data_sha256"] = hashlib.sha256(Path(data).read_bytes()).hexdigest()
    path = Path(out) if out else ctx.settings.data_dir / "intent.npz"
    path.parent.mkdir(parents=True, exist_ok=True)
    model.save(path)
    emit(
        {
            "path": str(path),
            "n": len(texts),
            "labels": model.labels,
            **{k: model.meta[k] for k in ("c", "c_dense", "dense_weight", "cv_score") if k in model.meta},
        },
        as_json,
        f"saved {path} ({len(texts)} examples, {len(model.labels)} labels)",
    )


@intent_group.command("eval")
@click.option("--test", "test_path", required=True, type=click.Path(dir_okay=False))
@click.option(
    "--train",
    "train_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Fit on this first; default: the shipped model.",
)
@click.option("--model", "model_path", type=click.Path(dir_okay=False), default=None)
@click.option("--embed/--no-embed", default=True, show_default=True)
@click.option(
    "--balance", type=click.FloatRange(0, 1), default=BALANCE, show_default=True, help="Class weighting with --train."
)
@c_option
@json_option
@pass_ctx
def eval_cmd(
    ctx: Context,
    test_path: str,
    train_path: str | None,
    model_path: str | None,
    embed: bool,
    balance: float,
    c: float | None,
    as_json: bool,
) -> None:
    """Accuracy and macro-F1 (plus per-label scores and the confusion matrix) on labelled turns,
    and what handing unsure turns to a person would leave (``abstain``: per confidence threshold,
    the share answered and the accuracy on it). With hierarchical labels (``售后/退货``) also
    ``parent_accuracy``: how often the predicted label's parent is the right one."""
    from shopgen.assistant.intent import fit, parents_of
    from shopgen.metrics.classification import report
    from shopgen.models.textclf import read_labelled

    if train_path and model_path:
        raise InvalidInput("give --train or --model, not both")
    embedder = _embedder(ctx, embed)
    if train_path:
        model = fit(*read_labelled(train_path), source=Path(train_path).name, embedder=embedder, balance=balance, c=c)
    else:
        model = ctx.runtime.intent(model_path)
    texts, labels = read_labelled(test_path)
    start = time.perf_counter()
    scored = model.predict(texts, embedder)
    seconds = time.perf_counter() - start
    pred = [lb for lb, _ in scored]
    r = report(labels, pred, model.labels)
    r["abstain"] = abstain_table(labels, scored)
    r["texts_per_s"] = round(len(texts) / seconds, 1)
    r["embedder"] = embedder.model if model.uses(embedder) else None
    if parents := parents_of(list(model.labels)):  # hierarchical labels: how often the parent alone is right
        up = dict(zip(model.labels, parents))
        r["parent_accuracy"] = round(sum(up.get(g) == up[p] for g, p in zip(labels, pred)) / len(labels), 4)
    if train_path:  # what the training chose (cross-validated unless --c was given)
        keys = ("c", "c_dense", "dense_weight", "cv_score", "balance", "parent_weight")
        r["trained"] = {k: model.meta.get(k) for k in keys}
    emit(r, as_json, f"n={r['n']} accuracy={r['accuracy']:.4f} macro_f1={r['macro_f1']:.4f}")


@intent_group.command("classify")
@click.argument("text")
@click.option("--embed/--no-embed", default=True, show_default=True)
@json_option
@pass_ctx
def classify(ctx: Context, text: str, embed: bool, as_json: bool) -> None:
    """Label one shopper turn."""
    if not text.strip():
        raise InvalidInput("the text is empty")
    label, confidence = ctx.runtime.intent().predict([text], _embedder(ctx, embed))[0]
    emit({"intent": label, "confidence": round(confidence, 4)}, as_json, f"{label} ({confidence:.2f})")


def register(cli: click.Group) -> None:
    cli.add_command(intent_group)
