"""``shopgen assist eval|mine|candidates|approve|reject``: retrieval measured on a BEIR task, and FAQ
candidates learned from conversations that human agents resolved."""

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
@click.option(
    "--method",
    "methods",
    multiple=True,
    type=click.Choice(["bm25", "dense", "fusion", "hybrid"]),
    help="Repeat to compare; default: all four (hybrid is what ships: fusion, reranked on question lists).",
)
@click.option("--limit", type=click.IntRange(1), default=None, help="Only the first N judged queries.")
@click.option(
    "--doc-prefix",
    type=click.Choice(["auto", "query", "passage"]),
    default="auto",
    show_default=True,
    help="How e5 embeds the documents; auto: as queries when the corpus is short questions (an FAQ's).",
)
@click.option(
    "--question-weight",
    type=click.FloatRange(0.0, 1.0),
    default=0.0,
    show_default=True,
    help="For a corpus of titled entries (question + answer): how much hybrid weighs the title alone "
    "against the whole entry, within BM25 and within e5. 0: one text (best on the demo knowledge base).",
)
@json_option
@pass_ctx
def eval_cmd(
    ctx: Context,
    corpus: str,
    queries: str,
    qrels: str,
    methods: tuple[str, ...],
    limit: int | None,
    doc_prefix: str,
    question_weight: float,
    as_json: bool,
) -> None:
    """Recall@1/5/10, MRR@10, nDCG@10 and latency per query for each method.

    Dense indexes are cached by content hash under the data directory, so a second run
    over the same corpus does not embed again.
    """
    from shopgen.assistant import beir
    from shopgen.assistant.evaluate import evaluate

    methods = methods or ("bm25", "dense", "fusion", "hybrid")
    fields = beir.load_fields(corpus)
    docs = beir.joined(fields)
    qs = beir.load_queries(queries)
    judged = beir.load_qrels(qrels)
    embedder = ctx.runtime.embedder() if {"dense", "fusion", "hybrid"} & set(methods) else None
    report = evaluate(
        docs,
        qs,
        judged,
        methods,
        embedder,
        ctx.settings.data_dir / "index-cache",
        limit,
        progress=sys.stderr.isatty(),
        doc_prefix=doc_prefix,
        fields=fields,
        question_weight=question_weight,
    )
    dense = report["index"].get("dense", {})
    extra = {
        "corpus": report["corpus"],
        "index_cached": dense.get("cached"),
        "embed_sentences_per_s": dense.get("sentences_per_s"),
        "document_prefix": dense.get("document_prefix"),
        # dense latencies exclude the query embedding (done once per query, in batches)
        "query_embed_ms_each": report["index"].get("query_embed_ms_each"),
        "reranker": report["index"].get("rerank", {}).get("reranker"),
        "fields": report["index"].get("fields"),
    }
    rows = [{**r, **extra} for r in report["results"]]
    out = rows[0] if len(rows) == 1 else rows
    human = "\n".join(
        f"{r['method']:<7} R@1 {r['recall@1']:.4f}  R@10 {r['recall@10']:.4f}  MRR@10 {r['mrr@10']:.4f}  "
        f"nDCG@10 {r['ndcg@10']:.4f}  p50 {r['ms_per_query_p50']} ms"
        for r in rows
    )
    emit(out, as_json, human)


@assist_group.command("redteam")
@click.option(
    "--data",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="attacks.jsonl ({id, category, text, forbidden})",
)
@click.option("--limit", type=click.IntRange(1), default=None, help="Only the first N attacks.")
@json_option
@pass_ctx
def redteam_cmd(ctx: Context, data: str, limit: int | None, as_json: bool) -> None:
    """Attack the assistant (with the configured LLM) and report how many replies stay safe.

    Runs over this shop's knowledge base and orders (``shopgen demo load`` for the demo shop)."""
    from shopgen.assistant import redteam

    items = redteam.load(data)[:limit]
    report = redteam.run(_assistant(ctx), ctx.db, items)
    human = f"{report['passed']}/{report['n']} safe ({report['pass_rate']:.1%}); " + ", ".join(
        f"{k} {v['pass_rate']:.0%}" for k, v in report["by_category"].items()
    )
    emit(report, as_json, human)


@assist_group.command("policy-eval")
@click.option(
    "--data", required=True, type=click.Path(exists=True, dir_okay=False), help="questions.jsonl ({q, must, must_not})"
)
@click.option("--limit", type=click.IntRange(1), default=None, help="Only the first N questions.")
@json_option
@pass_ctx
def policy_eval_cmd(ctx: Context, data: str, limit: int | None, as_json: bool) -> None:
    """Policy questions with known answers: correct, contradicted or abstained (with the configured LLM)."""
    from shopgen.assistant import policyeval

    items = policyeval.load(data)[:limit]
    report = policyeval.run(_assistant(ctx), items)
    human = (
        f"correct {report['correct_rate']:.1%}, contradicted {report['contradicted_rate']:.1%}, "
        f"abstained {report['abstained_rate']:.1%} of {report['n']}"
    )
    emit(report, as_json, human)


def _assistant(ctx: Context):
    from shopgen.assistant import synonyms
    from shopgen.assistant.answer import assistant_over
    from shopgen.assistant.index import KnowledgeIndex, load_docs
    from shopgen.search.synonyms import load_synonyms

    cache = ctx.settings.data_dir / "index-cache"
    shop = synonyms.load(ctx.db, load_synonyms(ctx.settings.kb_synonyms))
    index = KnowledgeIndex(load_docs(ctx.db), ctx.runtime.embedder(), cache, synonyms=shop)
    return assistant_over(ctx.db, index, ctx.runtime.llm(), ctx.runtime.intent())


@assist_group.command("mine")
@click.option(
    "--since-days", type=click.IntRange(1), default=None, help="Only conversations changed in the last N days."
)
@json_option
@pass_ctx
def mine_cmd(ctx: Context, since_days: int | None, as_json: bool) -> None:
    """Turn conversations that human agents resolved into pending FAQ candidates."""
    from datetime import UTC, datetime, timedelta

    from shopgen.assistant import mining

    since = datetime.now(UTC) - timedelta(days=since_days) if since_days else None
    with ctx.db.session() as s:
        out = mining.mine(s, since=since, order_pattern=ctx.settings.pii_order_pattern)
    human = f"{out['conversations']} resolved conversations, {out['created']} new candidates" + "".join(
        f"\n  #{c['id']} [{c['topic']}] {c['question'][:40]} → {c['answer'][:40]}" for c in out["candidates"]
    )
    emit(out, as_json, human)


@assist_group.command("candidates")
@click.option(
    "--status", type=click.Choice(["pending", "approved", "rejected", "all"]), default="pending", show_default=True
)
@json_option
@pass_ctx
def candidates_cmd(ctx: Context, status: str, as_json: bool) -> None:
    """List FAQ candidates (approve them here or in the studio: 客服工作台 → 待审 FAQ)."""
    from shopgen.assistant import mining

    with ctx.db.session() as s:
        rows = mining.listing(s, None if status == "all" else status)
    emit(
        rows,
        as_json,
        "\n".join(f"#{c['id']} {c['status']:<8} {c['question'][:40]} → {c['answer'][:40]}" for c in rows)
        or "no candidates",
    )


@assist_group.command("approve")
@click.argument("candidate_id", type=int)
@click.option("--question", default=None, help="Replace the question before approving.")
@click.option("--answer", default=None, help="Replace the answer before approving.")
@json_option
@pass_ctx
def approve_cmd(ctx: Context, candidate_id: int, question: str | None, answer: str | None, as_json: bool) -> None:
    """Add a pending candidate to the knowledge base."""
    from shopgen.assistant import mining
    from shopgen.security.principal import CLI

    with ctx.db.session() as s:
        out = mining.approve(s, CLI, candidate_id, question=question, answer=answer)
    emit(out, as_json, f"approved #{candidate_id}: knowledge-base entry {out['kb_entry_id']}")


@assist_group.command("reject")
@click.argument("candidate_id", type=int)
@json_option
@pass_ctx
def reject_cmd(ctx: Context, candidate_id: int, as_json: bool) -> None:
    """Reject a pending candidate."""
    from shopgen.assistant import mining
    from shopgen.security.principal import CLI

    with ctx.db.session() as s:
        out = mining.reject(s, CLI, candidate_id)
    emit(out, as_json, f"rejected #{candidate_id}")


def register(cli: click.Group) -> None:
    cli.add_command(assist_group)
