"""``shopgen insight sentiment|train|eval|aspects|aspects-eval|topics|monitor|report``."""

from __future__ import annotations

import click

from shopgen.cli.common import Context, emit, json_option, pass_ctx
from shopgen.core.errors import BackendError, InvalidInput

_model_option = click.option(
    "--model",
    "model_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="'linear' (the shipped default, fast), 'ensemble' (linear + e5 embeddings: more "
    "accurate, tens of texts/s), or a .npz trained with 'insight train'.",
)


@click.group("insight")
def insight_group() -> None:
    """Review and comment insight: sentiment, aspects, topics, monitoring, reports."""


@insight_group.command("sentiment")
@click.argument("texts", nargs=-1)
@click.option(
    "--file",
    "file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Score every row of a CSV/JSONL file, streamed (with --json: one JSON object per line).",
)
@_model_option
@json_option
@pass_ctx
def sentiment_cmd(
    ctx: Context, texts: tuple[str, ...], file: str | None, model_path: str | None, as_json: bool
) -> None:
    """Sentiment of TEXTS: label (positive/negative), score = P(positive), language."""
    from shopgen.insight import sentiment

    if file and texts:
        raise InvalidInput("give texts or --file, not both")
    if not texts and not file:
        raise InvalidInput("give a text to score (or --file)")
    model = ctx.runtime.sentiment(model_path)
    if file:
        _score_file(file, model, as_json)
        return
    results = sentiment.analyze(list(texts), model)
    if as_json:
        emit(results[0] if len(results) == 1 else [dict(text=t, **r) for t, r in zip(texts, results)], True)
        return
    for text, r in zip(texts, results):
        _echo_result(text, r)


def _echo_result(text: str, r: dict) -> None:
    flag = "" if r["language"] == "zh" else f"  [{r['language']}]"
    click.echo(f"{r['label']:<8} {r['score']:.3f}  {text[:60]}{flag}")


def _score_file(file: str, model, as_json: bool, batch: int = 1000) -> None:
    """Stream FILE in batches so a file of any size runs in constant memory; empty rows are skipped."""
    import json

    from shopgen.insight import datasets, sentiment

    chunk: list[tuple[int, str]] = []

    def flush() -> None:
        for (line, text), r in zip(chunk, sentiment.analyze([t for _, t in chunk], model)):
            if as_json:
                click.echo(json.dumps({"line": line, "text": text, **r}, ensure_ascii=False))
            else:
                _echo_result(text, r)
        chunk.clear()

    for no, rec in datasets.iter_records(file):
        text = datasets.text_of(rec, f"{click.format_filename(file, shorten=True)} line {no}")
        if text.strip():
            chunk.append((no, text))
        if len(chunk) >= batch:
            flush()
    if chunk:
        flush()


@insight_group.command("train")
@click.option("--data", "data", type=click.Path(dir_okay=False), required=True, help="CSV/JSONL with label + text.")
@click.option("--dev", "dev", type=click.Path(dir_okay=False), default=None, help="Report accuracy on this file.")
@click.option("--out", "out", type=click.Path(dir_okay=False), required=True, help="Where to write the .npz model.")
@click.option(
    "--c", "c", type=click.FloatRange(min=1e-4), default=8.0, show_default=True, help="Inverse regularisation."
)
@click.option("--min-df", type=click.IntRange(1), default=2, show_default=True)
@json_option
def train_cmd(data: str, dev: str | None, out: str, c: float, min_df: int, as_json: bool) -> None:
    """Train a sentiment model on your own labelled reviews."""
    from shopgen.insight import evaluate

    result = evaluate.train_and_save(data, out, dev=dev, c=c, min_df=min_df)
    emit(
        result,
        as_json,
        f"wrote {result['model']} ({result['n_features']} features, trained on {result['n_train']} texts)"
        + (f"; dev accuracy {result['dev_accuracy']:.4f}" if dev else ""),
    )


@insight_group.command("eval")
@click.option("--test", "test", type=click.Path(dir_okay=False), required=True)
@click.option(
    "--train",
    "train",
    type=click.Path(dir_okay=False),
    default=None,
    help="Train on this file first (also trains the char n-gram baseline).",
)
@_model_option
@click.option(
    "--baseline-n",
    type=click.IntRange(0),
    default=1000,
    show_default=True,
    help="Texts the slow snownlp baseline scores (a seeded sample; 0 skips it).",
)
@click.option("--seed", type=int, default=7, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Also time a warm pool of this many processes.",
)
@json_option
@pass_ctx
def eval_cmd(
    ctx: Context,
    test: str,
    train: str | None,
    model_path: str | None,
    baseline_n: int,
    seed: int,
    workers: int,
    as_json: bool,
) -> None:
    """Accuracy, macro-F1 and speed on TEST, with baselines measured in the same run."""
    from shopgen.insight import evaluate

    model = None if train else ctx.runtime.sentiment(model_path)
    r = evaluate.run(
        test, model=model, train=train, model_path=model_path, baseline_n=baseline_n, seed=seed, workers=workers
    )
    lines = [f"n={r['n']} accuracy={r['accuracy']:.4f} macro_f1={r['macro_f1']:.4f} texts/s={r['texts_per_s']:.0f}"]
    lines += [
        f"  baseline {k}: accuracy={v['accuracy']:.4f} macro_f1={v['macro_f1']:.4f} (n={v['n']})"
        for k, v in r["baseline"].items()
    ]
    emit(r, as_json, "\n".join(lines))


@insight_group.command("aspects")
@click.argument("text")
@json_option
@pass_ctx
def aspects_cmd(ctx: Context, text: str, as_json: bool) -> None:
    """Aspects TEXT talks about (质量, 尺码, 物流 …) and the polarity of each."""
    from shopgen.insight import aspects

    found = aspects.analyze(text, ctx.runtime.sentiment("linear"))
    emit(
        found,
        as_json,
        "\n".join(f"{a['aspect']}  {a['polarity']:<8} {'；'.join(a['evidence'])}" for a in found) or "no aspect found",
    )


@insight_group.command("aspects-eval")
@click.option(
    "--data",
    "data",
    type=click.Path(dir_okay=False),
    required=True,
    help='JSONL {"text", "aspects": {"质量": "negative", …}}.',
)
@json_option
@pass_ctx
def aspects_eval_cmd(ctx: Context, data: str, as_json: bool) -> None:
    """Per-aspect precision / recall / F1 and polarity accuracy on a labelled file."""
    from shopgen.insight import aspect_eval

    r = aspect_eval.evaluate(data, ctx.runtime.sentiment("linear"))
    lines = [
        f"n={r['n']} micro_f1={r['micro']['f1']:.4f} macro_f1={r['macro_f1']:.4f} polarity_accuracy={r['polarity_accuracy']:.4f}"
    ]
    lines += [
        f"  {a}  P={v['precision']:.3f} R={v['recall']:.3f} F1={v['f1']:.3f} (n={v['support']})"
        for a, v in r["per_aspect"].items()
    ]
    emit(r, as_json, "\n".join(lines))


@insight_group.command("topics")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--category", default=None, help="Only rows whose cat/category/product_sku equals this.")
@click.option("--k", "k", type=click.IntRange(1, 50), default=5, show_default=True, help="Number of themes.")
@click.option("--seed", type=int, default=0, show_default=True)
@_model_option
@json_option
@pass_ctx
def topics_cmd(
    ctx: Context, file: str, category: str | None, k: int, seed: int, model_path: str | None, as_json: bool
) -> None:
    """Themes among the negative reviews of FILE, with keywords and examples."""
    from shopgen.insight import topics

    r = topics.run(file, category=category, k=k, seed=seed, model=ctx.runtime.sentiment(model_path))
    lines = [f"{r['n_negative']} negative reviews"]
    for t in r["themes"]:
        lines += [f"#{t['id']} {t['size']:>5}  {'、'.join(t['keywords'])}"] + [
            f"        {x[:70]}" for x in t["examples"]
        ]
    emit(r, as_json, "\n".join(lines))


def _monitor_config(window: str, history: int, z: float, min_count: int, tolerance: str):
    from shopgen.insight import monitor, stream

    return monitor.Config(
        window=stream.parse_window(window),
        history=history,
        z_threshold=z,
        min_count=min_count,
        tolerance=stream.parse_window(tolerance),
    )


_window_option = click.option("--window", default="1d", show_default=True, help="Bucket size: 5m, 1h, 1d …")
_tolerance_option = click.option(
    "--tolerance", default="1h", show_default=True, help="How far back a row may be out of order before it is rejected."
)


@insight_group.command("monitor")
@click.argument("file", type=click.Path(dir_okay=False))
@_window_option
@click.option("--history", type=click.IntRange(2), default=7, show_default=True, help="Buckets in the baseline.")
@click.option("--z", "z", type=click.FloatRange(min=0.5), default=3.5, show_default=True, help="Robust z to alert at.")
@click.option("--min-count", type=click.IntRange(1), default=5, show_default=True, help="Texts a bucket needs.")
@_tolerance_option
@click.option("--webhook", default=None, help="POST each alert as JSON to this URL.")
@click.option("--studio", is_flag=True, help="Also append alerts to the studio's alert log in the data dir.")
@_model_option
@json_option
@pass_ctx
def monitor_cmd(
    ctx: Context,
    file: str,
    window: str,
    history: int,
    z: float,
    min_count: int,
    tolerance: str,
    webhook: str | None,
    studio: bool,
    model_path: str | None,
    as_json: bool,
) -> None:
    """Negative-sentiment spikes and volume anomalies in FILE ({ts, scope|brand|product, text})."""
    from shopgen.insight import monitor
    from shopgen.insight.sinks import SINKS

    model = ctx.runtime.sentiment(model_path)  # an unknown name fails here, before the file is read
    r = monitor.run(file, _monitor_config(window, history, z, min_count, tolerance), model=model)
    targets = {"webhook": (webhook,)} if webhook else {}
    if studio:
        targets["studio"] = (ctx.settings.data_dir,)
    r["delivery"] = {name: SINKS.create(name, *args).send(r["alerts"]) for name, args in targets.items()}
    lines = [
        f"{a['time']}  {a['scope']:<20} {a['metric']:<13} {a['value']} (baseline {a['baseline']}, z={a['z']})"
        for a in r["alerts"]
    ]
    lines.append(f"{len(r['alerts'])} alerts over {r['scopes']} scopes")
    lines += [f"{name}: {d['sent']} sent, {d['failed']} failed" for name, d in r["delivery"].items()]
    emit(r, as_json, "\n".join(lines))
    failed = {name: d for name, d in r["delivery"].items() if d["failed"]}
    if failed:  # the alerts are printed above; still, an undelivered alert must not pass quietly
        name, d = next(iter(failed.items()))
        raise BackendError(f"{name}: {d['failed']} of {len(r['alerts'])} alerts not delivered ({d['errors'][0]})")


@insight_group.command("report")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--out", "out", type=click.Path(file_okay=False), required=True, help="Directory for report.html and PNGs."
)
@click.option("--k", "k", type=click.IntRange(1, 20), default=5, show_default=True, help="Negative themes.")
@_window_option
@_tolerance_option
@_model_option
@json_option
@pass_ctx
def report_cmd(
    ctx: Context, file: str, out: str, k: int, window: str, tolerance: str, model_path: str | None, as_json: bool
) -> None:
    """An HTML report with charts: sentiment over time, aspects, negative themes, alerts."""
    from shopgen.insight import report

    r = report.build(
        file,
        out,
        k=k,
        cfg=_monitor_config(window, 7, 3.5, 5, tolerance),
        model=ctx.runtime.sentiment(model_path),
        aspect_model=ctx.runtime.sentiment("linear"),
    )
    emit(r, as_json, f"wrote {r['html']} and {len(r['png'])} charts ({r['n']} texts, {len(r['alerts'])} alerts)")


@insight_group.command("train-head")
@click.option("--train", "train", type=click.Path(dir_okay=False), required=True, help="CSV/JSONL with label + text.")
@click.option("--dev", "dev", type=click.Path(dir_okay=False), required=True, help="Chooses the blend weight.")
@click.option("--out", "out", type=click.Path(dir_okay=False), required=True, help="Where to write the head .npz.")
@click.option("--cache", type=click.Path(file_okay=False), default=None, help="Keep the e5 rows here (train/dev.npy).")
@click.option("--head", type=click.Choice(["mlp", "lr"]), default="mlp", show_default=True)
@click.option("--grid", type=float, multiple=True, help="MLP alpha (default 1e-3 1e-2) or LR C values to try.")
@json_option
@pass_ctx
def train_head_cmd(
    ctx: Context, train: str, dev: str, out: str, cache: str | None, head: str, grid: tuple[float, ...], as_json: bool
) -> None:
    """Fit the e5 head of the 'ensemble' sentiment model and choose its blend weight on DEV."""
    from pathlib import Path

    from shopgen.insight import ensemble, ensemble_train

    r = ensemble_train.train_head(
        train,
        dev,
        out,
        linear=ctx.runtime.sentiment("linear"),
        embedder=ctx.runtime.embedder(ensemble.EMBED_BACKEND),
        cache=Path(cache) if cache else None,
        head=head,
        grid=list(grid) or None,
    )
    emit(r, as_json, f"wrote {r['out']}; dev accuracy {r['dev_accuracy']:.4f} (linear weight {r['linear_weight']})")


def register(cli: click.Group) -> None:
    cli.add_command(insight_group)
