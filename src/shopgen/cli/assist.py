"""``shopgen assist eval``: the assistant's retrieval, measured on a BEIR-format task."""

from __future__ import annotations

import sys

import click

from shopgen.cli.common import Context, emit, json_option, pass_ctx


@click.group("assist")
def assist_group() -> None:
    """Customer-service assistant."""


@assist_group.command("eval")
@click.option("--corpus", required=True, type=click.Path(dir_okay=False), help="corpus.jsonl ({_id, text[, title]})")
@click.option("--queries", required=True, type=click.Path(dir_okay=False), help="queries.jsonl ({_id, text})")
@click.option("--qrels", required=True, type=click.Path(dir_okay=False), help="qrels.tsv (query-id, corpus-id, score)")
@click.option("--method", "methods", multiple=True, type=click.Choice(["bm25", "dense", "hybrid"]),
              help="Repeat to compare; default: all three.")
@click.option("--limit", type=click.IntRange(1), default=None, help="Only the first N judged queries.")
@json_option
@pass_ctx
def eval_cmd(ctx: Context, corpus: str, queries: str, qrels: str, methods: tuple[str, ...], limit: int | None,
             as_json: bool) -> None:
    """Recall@1/5/10, MRR@10, nDCG@10 and latency per query for each method.

    Dense indexes are cached by content hash under the data directory, so a second run
    over the same corpus does not embed again.
    """
    from shopgen.assistant import beir
    from shopgen.assistant.evaluate import evaluate

    methods = methods or ("bm25", "dense", "hybrid")
    docs = beir.load_corpus(corpus)
    qs = beir.load_queries(queries)
    judged = beir.load_qrels(qrels)
    embedder = ctx.runtime.embedder() if {"dense", "hybrid"} & set(methods) else None
    report = evaluate(docs, qs, judged, methods, embedder, ctx.settings.data_dir / "index-cache", limit,
                      progress=sys.stderr.isatty())
    dense = report["index"].get("dense", {})
    extra = {"corpus": report["corpus"], "index_cached": dense.get("cached"),
             "embed_sentences_per_s": dense.get("sentences_per_s"),
             # dense latencies exclude the query embedding (done once per query, in batches)
             "query_embed_ms_each": report["index"].get("query_embed_ms_each")}
    rows = [{**r, **extra} for r in report["results"]]
    out = rows[0] if len(rows) == 1 else rows
    human = "\n".join(
        f"{r['method']:<7} R@1 {r['recall@1']:.4f}  R@10 {r['recall@10']:.4f}  MRR@10 {r['mrr@10']:.4f}  "
        f"nDCG@10 {r['ndcg@10']:.4f}  p50 {r['ms_per_query_p50']} ms" for r in rows
    )
    emit(out, as_json, human)


def register(cli: click.Group) -> None:
    cli.add_command(assist_group)
