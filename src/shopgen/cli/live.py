"""``shopgen live classify|eval|replay|train|publish|worker``."""

from __future__ import annotations

import click

from shopgen.cli.common import Context, emit, json_option, pass_ctx
from shopgen.core.errors import InvalidInput

_model_option = click.option(
    "--model",
    "model_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="An intent model trained with 'live train' (default: the shipped one).",
)
_FORMAT = click.Choice(["auto", "bilibili-xml", "csv", "jsonl"])


@click.group("live")
def live_group() -> None:
    """Live-stream copilot: comment intent, replay, the Redis bus."""


def _classifier(ctx: Context, model_path: str | None = None):
    """The comment classifier over the runtime's models (the shipped intent model or MODEL_PATH)."""
    from shopgen.live.classify import Classifier

    return Classifier(ctx.runtime.live_intent(model_path), ctx.runtime.sentiment("linear"))


@live_group.command("classify")
@click.argument("texts", nargs=-1)
@_model_option
@json_option
@pass_ctx
def classify_cmd(ctx: Context, texts: tuple[str, ...], model_path: str | None, as_json: bool) -> None:
    """Intent (buy/ask/rate/review/complain/return/recommend/other), confidence and sentiment of TEXTS."""
    if not texts:
        raise InvalidInput("give a comment to classify")
    results = _classifier(ctx, model_path).classify_many(list(texts))
    if as_json:
        emit(results[0] if len(results) == 1 else [dict(text=t, **r) for t, r in zip(texts, results)], True)
        return
    for t, r in zip(texts, results):
        click.echo(f"{r['intent']:<9} {r['confidence']:.3f}  {r['sentiment']['label']:<8} {t[:60]}")


@live_group.command("eval")
@click.option("--data", "data", type=click.Path(dir_okay=False), required=True, help="JSONL with text + label.")
@_model_option
@json_option
@pass_ctx
def eval_cmd(ctx: Context, data: str, model_path: str | None, as_json: bool) -> None:
    """Accuracy, macro-F1, per-label P/R/F1 and the confusion matrix on a labelled file."""
    from shopgen.live.classify import evaluate

    r = evaluate(ctx.runtime.live_intent(model_path), data)
    r.pop("errors")
    lines = [f"n={r['n']} accuracy={r['accuracy']:.4f} macro_f1={r['macro_f1']:.4f}"]
    lines += [
        f"  {k:<10} p={v['precision']:.3f} r={v['recall']:.3f} f1={v['f1']:.3f}" for k, v in r["per_label"].items()
    ]
    emit(r, as_json, "\n".join(lines))


@live_group.command("train")
@click.option(
    "--data", "data", type=click.Path(dir_okay=False), default=None, help="Seed JSONL (default: the shipped seed set)."
)
@click.option("--out", "out", type=click.Path(dir_okay=False), required=True, help="Where to write the .npz model.")
@click.option("--eval", "eval_path", type=click.Path(dir_okay=False), default=None, help="Held-out JSONL to report on.")
@click.option("--augment", type=click.IntRange(0, 50), default=8, show_default=True, help="Variants per seed line.")
@click.option("--seed", type=int, default=13, show_default=True)
@click.option("--c", "c", type=click.FloatRange(min=1e-4), default=8.0, show_default=True)
@json_option
def train_cmd(
    data: str | None, out: str, eval_path: str | None, augment: int, seed: int, c: float, as_json: bool
) -> None:
    """Train the intent model from a seed set (deterministic; same as python -m shopgen.live.train)."""
    from shopgen.live import train

    r = train.train(data or train.SEED, out, per_text=augment, seed=seed, c=c, eval_path=eval_path)
    if "heldout" in r:
        r["heldout"].pop("errors", None)
    emit(
        r,
        as_json,
        f"wrote {r['model']} ({r['n_features']} features, {r['n_train']} training texts from {r['n_seed']} seed lines)"
        + (
            f"; held-out accuracy {r['heldout']['accuracy']:.4f} macro-F1 {r['heldout']['macro_f1']:.4f}"
            if "heldout" in r
            else ""
        ),
    )


def _answerer(ctx: Context, sku: str | None):
    """The assistant's model-free answers for --sku (needs a shop database; none when it is empty)."""
    if not sku:
        return None
    from shopgen.assistant.answer import assistant_over
    from shopgen.assistant.index import COLLECTION
    from shopgen.assistant.shared import SharedIndex
    from shopgen.live.pipeline import AssistantAnswerer
    from shopgen.search.synonyms import load_synonyms
    from shopgen.search.vectors import store_opener

    cache = ctx.settings.data_dir / "index-cache"
    vectors = store_opener(ctx.settings, ctx.db, cache, COLLECTION)
    index = SharedIndex(ctx.db, ctx.runtime.embedder, cache, vectors, load_synonyms(ctx.settings.kb_synonyms)).get()
    # llm=None: only prepare() is used
    return AssistantAnswerer(
        assistant_over(ctx.db, index, None, ctx.runtime.intent()), order_pattern=ctx.settings.pii_order_pattern
    )


@live_group.command("replay")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=_FORMAT, default="auto", show_default=True)
@click.option("--speed", default="max", show_default=True, help="'max', or N for N× real time (1 = real time).")
@click.option("--room", default=None, help="Put every comment into this room.")
@click.option("--sku", default=None, help="On-stage SKU; with a shop database, answers questions from its FAQ.")
@click.option("--batch", type=click.IntRange(1, 100_000), default=512, show_default=True)
@click.option("--snapshot", "show_snapshot", is_flag=True, help="Include each room's host-panel snapshot.")
@json_option
@pass_ctx
def replay_cmd(
    ctx: Context,
    file: str,
    fmt: str,
    speed: str,
    room: str | None,
    sku: str | None,
    batch: int,
    show_snapshot: bool,
    as_json: bool,
) -> None:
    """Replay a recording through the copilot fast path; throughput, latency and intent counts."""
    import time
    from collections import Counter
    from functools import partial

    import numpy as np

    from shopgen.live import replay
    from shopgen.live.pipeline import Copilot, Rooms

    pace = replay.parse_speed(speed, "--speed")
    rejected: list[dict] = []  # invalid comments (over 200 characters …) are counted and skipped
    comments = replay.read(file, fmt, room, rejected=rejected)
    answerer = _answerer(ctx, sku)
    classifier = _classifier(ctx)
    rooms = Rooms(factory=partial(Copilot, classifier=classifier))
    intents: Counter = Counter()
    classifier.classify("预热")  # load the models (jieba, weights) before the clock starts
    t0 = time.perf_counter()
    for chunk in replay.paced(comments, pace, batch):
        by_room: dict[str, list] = {}
        for c in chunk:
            by_room.setdefault(c.room, []).append(c)
        for name, items in by_room.items():
            cop = rooms.create(name, exist_ok=True, answerer=answerer)
            if sku and cop.on_stage != sku:
                cop.set_on_stage(sku)
            intents.update(r["intent"] for r in cop.ingest_many(items) if r["intent"])
    seconds = time.perf_counter() - t0
    cops = [rooms.get(n) for n in rooms.names()]
    lat = np.fromiter((x for cop in cops for x in cop.latencies_ms), np.float64)
    p50, p99 = np.percentile(lat, [50, 99]) if len(lat) else (0.0, 0.0)
    from shopgen.live.intent import LABELS

    result = {
        "comments": len(comments),
        "rejected": len(rejected),
        "rejects": rejected[:20],
        "seconds": round(seconds, 3),
        "throughput_per_s": round(len(comments) / seconds, 1) if seconds else None,
        "latency_ms_p50": round(float(p50), 3),
        "latency_ms_p99": round(float(p99), 3),
        "intents": {k: intents.get(k, 0) for k in LABELS},
        "dropped": dict(sum((Counter(cop.dropped) for cop in cops), Counter())),
        "auto_replies": sum(cop.auto_replies for cop in cops),
        "rooms": rooms.names(),
    }
    if show_snapshot:
        result["snapshots"] = {cop.room: cop.snapshot() for cop in cops}
    emit(
        result,
        as_json,
        f"{result['comments']} comments in {result['seconds']}s ({result['throughput_per_s']}/s), "
        + (f"{len(rejected)} rejected (first at {rejected[0]['at']}: {rejected[0]['error']}), " if rejected else "")
        + f"latency p50 {result['latency_ms_p50']} ms p99 {result['latency_ms_p99']} ms; "
        + ", ".join(f"{k}={v}" for k, v in result["intents"].items()),
    )


@live_group.command("publish")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--redis", "url", default="redis://127.0.0.1:6379/0", show_default=True)
@click.option("--prefix", default="shopgen:live", show_default=True)
@click.option("--format", "fmt", type=_FORMAT, default="auto", show_default=True)
@click.option("--room", default=None)
@json_option
def publish_cmd(file: str, url: str, prefix: str, fmt: str, room: str | None, as_json: bool) -> None:
    """XADD a recording's comments to the Redis stream."""
    from shopgen.live import bus, replay

    b = bus.RedisBus(url, prefix)
    bus.check_connection(b)
    b.ensure_group()
    rejected: list[dict] = []
    n = b.publish(room, replay.read(file, fmt, room, rejected=rejected))
    emit(
        {"published": n, "stream": b.stream, "rejected": len(rejected), "rejects": rejected[:20]},
        as_json,
        f"published {n} comments to {b.stream}" + (f", {len(rejected)} rejected" if rejected else ""),
    )


@live_group.command("worker")
@click.option("--redis", "url", default="redis://127.0.0.1:6379/0", show_default=True)
@click.option("--prefix", default="shopgen:live", show_default=True)
@click.option("--name", default=None, help="Consumer name (default: host-pid).")
@click.option("--batch", type=click.IntRange(1, 10_000), default=256, show_default=True)
@click.option(
    "--claim-idle-ms",
    type=click.IntRange(1),
    default=30_000,
    show_default=True,
    help="Take over another worker's entries pending this long.",
)
@click.option("--ack-delay", type=click.FloatRange(min=0), default=0.0, hidden=True)
@click.option("--exit-when-idle", is_flag=True, help="Stop once nothing is pending or undelivered.")
@pass_ctx
def worker_cmd(
    ctx: Context,
    url: str,
    prefix: str,
    name: str | None,
    batch: int,
    claim_idle_ms: int,
    ack_delay: float,
    exit_when_idle: bool,
) -> None:
    """Consume the stream and keep room aggregates in Redis (run several for scale-out)."""
    import logging
    import os
    import socket

    from shopgen.live import bus

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    b = bus.RedisBus(url, prefix)
    w = bus.Worker(
        b,
        name or f"{socket.gethostname()}-{os.getpid()}",
        batch=batch,
        claim_idle_ms=claim_idle_ms,
        ack_delay_s=ack_delay,
        classifier=_classifier(ctx),
    )
    try:
        w.run(until=(lambda: b.lag() == 0) if exit_when_idle else None, log_every_s=10.0)
    except KeyboardInterrupt:
        pass
    click.echo(f"worker {w.name}: processed {w.processed}, counted {w.counted}, claimed {w.claimed}", err=True)


def register(cli: click.Group) -> None:
    cli.add_command(live_group)
