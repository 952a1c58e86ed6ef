"""``shopgen recommend train|for|similar|eval|batch``."""

from __future__ import annotations

import json

import click

from shopgen.cli.common import Context, emit, json_option, pass_ctx
from shopgen.core.errors import InvalidInput

_param = click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A model parameter, e.g. lam=500 (ease), k=200 (itemknn), factors=64 (mf), behaviour=ease alpha=0.3 (hybrid).",
)
_k = click.option("--k", "k", type=click.IntRange(1, 100), default=10, show_default=True)
_surface = click.option(
    "--surface", default=None, help="Where the list is shown: recommend (推荐位), detail, search, live (直播间), cart."
)


def parse_params(pairs: tuple[str, ...]) -> dict:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise InvalidInput(f"--param {pair!r} is not NAME=VALUE")
        try:
            out[name.strip()] = json.loads(value)
        except json.JSONDecodeError:
            out[name.strip()] = value
    return out


def service(ctx: Context, model: str | None = None, params: dict | None = None):
    from shopgen.recommend.service import RecommendService

    s = ctx.settings
    return RecommendService(
        ctx.db,
        s.data_dir / "recommend",
        model=model or s.recommend_model,
        params=s.recommend_params if params is None else params,
        embedder=ctx.runtime.embedder,
        retrain_seconds=s.recommend_retrain_seconds,
    )


@click.group("recommend")
def recommend_group() -> None:
    """Personalised recommendation from behaviour and product text."""


@recommend_group.command("train")
@click.option(
    "--data",
    "data",
    type=click.Path(dir_okay=False),
    default=None,
    help="An event file; default: the shop's event store.",
)
@click.option(
    "--model",
    "model",
    default=None,
    help="popularity | itemknn | ease | mf | text | hybrid (default: SHOPGEN_RECOMMEND_MODEL).",
)
@_param
@click.option(
    "--items",
    "items_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Item text for --data (meta_*.json.gz, .item).",
)
@click.option(
    "--out", "out", type=click.Path(dir_okay=False), default=None, help="Where to save a model trained on --data."
)
@json_option
@pass_ctx
def train_cmd(ctx: Context, data, model, params, items_path, out, as_json) -> None:
    """Train on the shop's events (the model the service uses), or on --data into --out."""
    p = parse_params(params)
    if data is None:
        if out:
            raise InvalidInput("--out is for --data; the shop's model is saved in its data folder")
        r = service(ctx, model, p or None).train()
        emit(
            r,
            as_json,
            f"trained {r['model']} on {r['interactions']} interactions ({r['n_users']} shoppers, {r['n_items']} items) in {r['train_seconds']}s",
        )
        return
    if not out:
        raise InvalidInput("give --out for a model trained on --data")
    from shopgen.recommend.train import train_file

    r = train_file(
        data,
        model or "hybrid",
        p,
        out,
        items_path=items_path,
        embedder=ctx.runtime.embedder,
        cache_dir=ctx.settings.data_dir / "recommend",
    )
    emit(
        r,
        as_json,
        f"wrote {r['out']} ({r['model']}, {r['n_users']} shoppers × {r['n_items']} items, {r['train_seconds']}s)",
    )


def _lines(r: dict) -> str:
    return "\n".join(
        f"{n:>2}. {i['sku']:<10} {i['title'][:24]:<24} {i['reason']['text']}" for n, i in enumerate(r["items"], 1)
    )


@recommend_group.command("for")
@click.argument("user")
@_k
@_surface
@json_option
@pass_ctx
def for_cmd(ctx: Context, user: str, k: int, surface: str | None, as_json: bool) -> None:
    """Recommendations for shopper USER, each with its reason."""
    r = service(ctx).for_user(user, k, surface)
    head = f"{user}: " + ("新顾客（冷启动）" if r["cold_start"] else f"{len(r['history'])} 条近期行为")
    emit(r, as_json, head + "\n" + _lines(r))


@recommend_group.command("similar")
@click.argument("sku")
@_k
@_surface
@json_option
@pass_ctx
def similar_cmd(ctx: Context, sku: str, k: int, surface: str | None, as_json: bool) -> None:
    """Products similar to SKU, each with its reason."""
    r = service(ctx).similar(sku, k, surface)
    emit(r, as_json, f"{sku} {r['product']['title']}\n" + _lines(r))


@recommend_group.command("eval")
@click.option("--data", "data", type=click.Path(dir_okay=False), required=True)
@click.option("--model", "model", required=True, help="popularity | itemknn | ease | mf | text | hybrid")
@click.option(
    "--split",
    "split",
    type=click.Choice(["random", "leave-last-out", "cold-items"]),
    default="random",
    show_default=True,
)
@click.option(
    "--items",
    "items_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Item text (default: the file beside --data).",
)
@click.option("--seed", type=int, default=2020, show_default=True)
@_param
@json_option
@pass_ctx
def eval_cmd(ctx: Context, data, model, split, items_path, seed, params, as_json) -> None:
    """NDCG/Recall/MRR/Hit/Precision@10, training time and p95 latency on DATA (RecBole's full ranking)."""
    from shopgen.recommend import evaluate
    from shopgen.recommend.base import create

    p = parse_params(params)
    needs_text = create(model, **p).needs_text
    r = evaluate.run(
        data,
        model,
        split,
        seed=seed,
        items_path=items_path,
        embedder=ctx.runtime.embedder() if needs_text else None,
        cache_dir=ctx.settings.data_dir / "recommend",
        params=p,
    )
    emit(r, as_json, " ".join(f"{k}={v}" for k, v in r.items()))


@recommend_group.command("batch")
@click.option("--out", "out", type=click.Path(dir_okay=False), required=True, help="JSONL, one shopper per line.")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True)
@_k
@json_option
@pass_ctx
def batch_cmd(ctx: Context, out: str, engine: str, k: int, as_json: bool) -> None:
    """Top-k for every shopper in the event store, locally or on Ray (a local instance, or the cluster ray.init finds)."""
    from shopgen.recommend import batch

    svc = service(ctx)
    svc.train()
    r = batch.score_store(ctx.db, svc.path, out, k=k, engine=engine)
    emit(r, as_json, f"wrote {r['users']} shoppers to {r['out']} ({engine}, {r['users_per_s']:.0f} shoppers/s)")


def register(cli: click.Group) -> None:
    cli.add_command(recommend_group)
