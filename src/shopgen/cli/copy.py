"""``shopgen copy generate|batch|eval|check``: grounded, compliant product copy."""

from __future__ import annotations

import functools
import sys

import click

from shopgen.cli.common import Context, emit, json_option, pass_ctx
from shopgen.core.errors import InvalidInput, NotFound

_kind = click.option(
    "--kind",
    "kind",
    default="description",
    show_default=True,
    help="title | description | selling_points | live_script | social_post",
)
_audience = click.option("--audience", default=None, help="学生党, 职场女性, 宝妈, 运动爱好者, 银发族, or free text.")
_tone = click.option("--tone", default=None, help="活泼, 专业, 温柔, 高端 … or free text.")
_lang = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
_exemplars = click.option(
    "--exemplars",
    type=click.Path(dir_okay=False),
    default=None,
    help='JSONL of {"content", "summary"} pairs used as style guides.',
)
_banned = click.option(
    "--banned-words",
    "banned",
    type=click.Path(dir_okay=False),
    default=None,
    help="Your banned-word list, one word a line (default: the shipped list).",
)


@click.group("copy")
def copy_group() -> None:
    """Product copy: titles, descriptions, selling points, live scripts, social posts."""


def make_writer(settings, exemplars: str | None, banned: str | None, llm=None):
    """A Copywriter from settings; module-level so Ray can rebuild it in a worker."""
    from shopgen.copywriting.exemplars import ExemplarStore
    from shopgen.copywriting.generate import Copywriter
    from shopgen.models.runtime import Runtime

    exemplars = exemplars or settings.copy_exemplars
    store = ExemplarStore.load(exemplars) if exemplars else None
    return Copywriter(llm or Runtime(settings).llm(), store, banned)


def _facts(ctx: Context, product: str | None, attrs: str | None):
    from shopgen.copywriting.attrs import parse_attrs, product_facts
    from shopgen.store import catalog

    if bool(product) == bool(attrs):
        raise InvalidInput("give exactly one of --product SKU or --attrs '类型#上衣*颜色#白色'")
    if attrs:
        return parse_attrs(attrs)
    with ctx.db.session() as s:
        p = catalog.get_by_sku(s, product)
        if p is None:
            raise NotFound(f"no product with SKU {product}")
        return product_facts(p)


def _human(r: dict) -> str:
    lines = [r["text"]]
    lines += [f"  ! {i['type']}: {i['claim']} ({i['detail']})" for i in r["issues"]]
    lines += [f"  ~ {f['type']}: {f['word']} → {f['suggestion'] or '(dropped)'}" for f in r["compliance"]]
    return "\n".join(lines)


@copy_group.command("generate")
@click.option("--product", default=None, help="SKU of a catalog product.")
@click.option("--attrs", default=None, help="AdvertiseGen attributes, e.g. '类型#上衣*材质#牛仔布*颜色#白色'.")
@_kind
@_audience
@_tone
@_lang
@_exemplars
@_banned
@click.option("--stream", is_flag=True, help="Print tokens as they come (stderr), then the checked copy.")
@json_option
@pass_ctx
def generate_cmd(ctx: Context, product, attrs, kind, audience, tone, lang, exemplars, banned, stream, as_json) -> None:
    """Write one piece of copy, checked against the facts and the advertising law."""
    from shopgen.copywriting.generate import CopyResult
    from shopgen.copywriting.prompts import check_kind

    check_kind(kind)
    facts = _facts(ctx, product, attrs)
    writer = make_writer(ctx.settings, exemplars, banned, llm=ctx.runtime.llm())
    if stream:
        result = None
        for item in writer.stream(facts, kind, audience, tone, lang):
            if isinstance(item, CopyResult):
                result = item
            else:
                click.echo(item, nl=False, err=True)
        click.echo("", err=True)
    else:
        result = writer.generate(facts, kind, audience, tone, lang)
    data = result.to_dict()
    emit(data, as_json, _human(data))


@copy_group.command("batch")
@_kind
@_audience
@_tone
@_lang
@click.option("--category", default=None, help="Only products of this category.")
@click.option("--out", "out", type=click.Path(dir_okay=False), required=True, help="JSONL file to write.")
@click.option("--resume", is_flag=True, help="Skip SKUs already in --out (after a crash or Ctrl-C).")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True)
@click.option("--limit", type=click.IntRange(1), default=None, help="At most this many products.")
@_exemplars
@_banned
@json_option
@pass_ctx
def batch_cmd(
    ctx: Context, kind, audience, tone, lang, category, out, resume, engine, limit, exemplars, banned, as_json
) -> None:
    """Draft copy for every active catalog product (or one category) into a JSONL file."""
    from shopgen.copywriting.attrs import product_facts
    from shopgen.copywriting.batch import run_batch
    from shopgen.copywriting.prompts import check_kind
    from shopgen.store import catalog

    check_kind(kind)
    with ctx.db.session() as s:
        products, _ = catalog.list_products(s, category=category, status="active", limit=limit or 1_000_000)
        items = [(p.sku, product_facts(p)) for p in products]
    if not items:
        raise NotFound(f"no active products{' in category ' + category if category else ''}")
    if engine == "ray":
        maker = functools.partial(make_writer, ctx.settings, exemplars, banned)
    else:
        maker = make_writer(ctx.settings, exemplars, banned, llm=ctx.runtime.llm())
    r = run_batch(
        items, maker, kind, audience, out, resume=resume, engine=engine, progress=_progress, tone=tone, lang=lang
    )
    human = f"wrote {r['written']} drafts to {r['out']} (skipped {r['skipped']}, failed {len(r['failed'])})"
    human += "".join(f"\n  failed {f['sku']}: {f['error']}" for f in r["failed"])
    emit(r, as_json, human)


def _progress(i: int, n: int) -> None:
    click.echo(f"\r{i}/{n}", nl=i == n, err=True)


@copy_group.command("eval")
@click.option("--data", "data", type=click.Path(dir_okay=False), required=True, help='JSONL {"content", "summary"}.')
@_exemplars
@click.option("--limit", type=click.IntRange(1), default=None)
@_kind
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--mode", type=click.Choice(["fewshot", "zeroshot", "nearest"]), default="fewshot", show_default=True)
@click.option("--k", "k", type=click.IntRange(0, 8), default=2, show_default=True, help="Exemplars per prompt.")
@click.option(
    "--split",
    type=click.Choice(["auto", "half", "all"]),
    default="auto",
    show_default=True,
    help="half: score the held-out half of --data whatever --exemplars is (every mode on the same items); "
    "auto: that half when --exemplars is --data, else all of --data.",
)
@json_option
@pass_ctx
def eval_cmd(ctx: Context, data, exemplars, limit, kind, seed, mode, k, split, as_json) -> None:
    """BLEU-4, ROUGE-1/2/L, distinct-2 and unsupported rate on AdvertiseGen-style data."""
    from shopgen.copywriting.evaluate import evaluate
    from shopgen.copywriting.prompts import check_kind

    check_kind(kind)
    llm = None if mode == "nearest" else ctx.runtime.llm()
    r = evaluate(
        data,
        exemplars,
        llm,
        limit,
        kind=kind,
        seed=seed,
        mode=mode,
        k=k,
        split=split,
        progress=_progress if sys.stderr.isatty() else None,
    )
    emit(
        r,
        as_json,
        f"n={r['n']} mode={r['mode']} model={r['model']} bleu4={r['bleu4']:.2f} rouge1={r['rouge1']:.2f} "
        f"rouge2={r['rouge2']:.2f} rougeL={r['rougeL']:.2f} distinct2={r['distinct2']:.3f} "
        f"unsupported_rate={r['unsupported_rate']:.3f} s/item={r['seconds_per_item']:.2f}",
    )


@copy_group.command("check")
@click.argument("text")
@click.option("--attrs", required=True, help="The facts, e.g. '类型#上衣*颜色#白色'.")
@click.option("--category", default=None, help="Apply the medical-claim rules as for this category.")
@_banned
@json_option
def check_cmd(text, attrs, category, banned, as_json) -> None:
    """Grounding and advertising-law check of TEXT (no model), with a compliant rewrite."""
    from shopgen.copywriting import compliance, grounding
    from shopgen.copywriting.attrs import parse_attrs

    if not text.strip():
        raise InvalidInput("nothing to check: TEXT is empty")
    facts = parse_attrs(attrs)
    flags = compliance.check(text, category=category, banned=banned)
    r = {
        "issues": grounding.check(text, facts),
        "compliance": flags,
        "rewrite": compliance.rewrite(text, category=category, banned=banned),
    }
    emit(r, as_json, _human({"text": r["rewrite"], **r}))


def register(cli: click.Group) -> None:
    cli.add_command(copy_group)
