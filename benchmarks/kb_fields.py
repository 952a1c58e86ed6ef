"""Question vs answer: how much each field of a knowledge-base entry should weigh in retrieval.

A shop's knowledge base is question + answer pairs (and policies: a title + a passage). Until now
both were indexed as one text. Here the question (title) and the whole entry are indexed apart,
for BM25 and for e5 (the question embedded as a query, e5's advice for question-to-question
matching; the whole entry as a passage), and fused with a weight for the question field.

Judged set: the 173 policy questions of ``tests/assistant/data/policy_questions.jsonl`` (written
for shopgen, 30 topics), each judged against the demo knowledge base (47 FAQ entries, 13 policies)
and the 51 demo products by :data:`GOLD` below: the entries that answer its topic. Weights are
chosen on the odd-numbered questions and reported on the even ones.

Usage: ``python benchmarks/kb_fields.py [--json]``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from shopgen.core.settings import Settings
from shopgen.metrics.retrieval import mrr_at, recall_at
from shopgen.models.embed import create_embedder
from shopgen.search.fields import build_indexes, fielded_retriever

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "src" / "shopgen" / "demo" / "data"

# topic → the knowledge-base entries (question or policy title) that answer it
GOLD = {
    "noreason_postage": ["退货运费谁出？", "《七天无理由退货规则》", "买的衣服不合适可以退吗？"],
    "quality_postage": ["退货运费谁出？", "收到的东西有质量问题怎么办？", "《质量问题退换货规则》"],
    "clothes_return": ["买的衣服不合适可以退吗？", "《七天无理由退货规则》"],
    "clothes_worn": ["买的衣服不合适可以退吗？", "《七天无理由退货规则》"],
    "cosmetics_opened": ["面霜拆开用了一次觉得不喜欢，可以退吗？", "《七天无理由退货规则》"],
    "cosmetics_sealed": ["面霜拆开用了一次觉得不喜欢，可以退吗？", "《七天无理由退货规则》"],
    "food": ["零食没拆封可以退吗？", "《七天无理由退货规则》"],
    "food_opened": ["零食没拆封可以退吗？", "《七天无理由退货规则》"],
    "fresh": ["《生鲜食品售后规则》", "《七天无理由退货规则》"],
    "fresh_bad": ["收到的橙子有几个坏的怎么办？", "《生鲜食品售后规则》"],
    "digital_activated": ["平板激活了还能七天无理由退吗？", "《七天无理由退货规则》"],
    "digital_fault": ["蓝牙耳机保修多久？", "平板激活了还能七天无理由退吗？", "《数码及电器保修政策》"],
    "warranty": ["蓝牙耳机保修多久？", "台灯有保修吗？", "《数码及电器保修政策》"],
    "water": ["手表进水坏了能保修吗？", "《数码及电器保修政策》"],
    "ship_time": ["下单后多久发货？", "《发货时效与包邮规则》"],
    "ship_promo": ["下单后多久发货？", "《发货时效与包邮规则》"],
    "free_ship": ["多少钱包邮？", "《发货时效与包邮规则》"],
    "remote": ["多少钱包邮？", "《发货时效与包邮规则》"],
    "overseas": ["可以寄到香港或者国外吗？", "《发货时效与包邮规则》"],
    "refund_time": ["退货寄回去以后多久能收到退款？", "退款会退到哪里？", "《支付与退款到账规则》"],
    "refund_where": ["退款会退到哪里？", "《支付与退款到账规则》"],
    "quality_window": ["收到的东西有质量问题怎么办？", "《质量问题退换货规则》"],
    "noreason_window": ["买的衣服不合适可以退吗？", "《七天无理由退货规则》"],
    "insurance": ["退货运费谁出？", "买的衣服不合适可以退吗？", "《七天无理由退货规则》"],
    "exchange_size": ["尺码不合适可以换吗？", "《服装尺码与换码规则》"],
    "invoice": ["可以开发票吗？", "公司报销需要专票，能开吗？", "《发票开具规则》"],
    "coupon": ["优惠券可以叠加使用吗？", "《优惠券与价格保护规则》"],
    "price_protect": ["刚买完就降价了，能退差价吗？", "《优惠券与价格保护规则》"],
    "payment": ["支持哪些付款方式？", "《支付与退款到账规则》"],
    "courier": ["你们发什么快递？能指定顺丰吗？", "《快递配送与签收规则》"],
}


def demo_corpus() -> list[tuple[str, str, str]]:
    """(id, title, body) of the demo knowledge base and products."""
    ids, titles, bodies = [], [], []
    for n, line in enumerate((DEMO / "kb.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        e = json.loads(line)
        ids.append(f"kb:{n}")
        titles.append(e["question"])
        bodies.append(e["answer"])
    for line in (DEMO / "products.jsonl").read_text(encoding="utf-8").splitlines():
        p = json.loads(line)
        attrs = "；".join(f"{k}：{v}" for k, v in p.get("attributes", {}).items())
        ids.append(f"product:{p['sku']}")
        titles.append(p["title"])
        bodies.append("；".join(x for x in (f"品牌：{p.get('brand') or ''}", f"售价：{p['price']}元", attrs) if x))
    return list(zip(ids, titles, bodies))


def judged(corpus) -> list[tuple[int, str, set[str]]]:
    by_title = {t: i for i, t, _ in corpus}
    out = []
    for line in (ROOT / "tests" / "assistant" / "data" / "policy_questions.jsonl").read_text().splitlines():
        q = json.loads(line)
        out.append((q["id"], q["q"], {by_title[t] for t in GOLD[q["topic"]]}))
    return out


def score(retriever, queries) -> dict:
    mrr = r1 = r10 = 0.0
    for _, text, gold in queries:
        ranked = [h.id for h in retriever.search(text, 10)]
        rel = dict.fromkeys(gold, 1)
        mrr += mrr_at(ranked, rel, 10)
        r1 += float(bool(ranked) and ranked[0] in gold)  # the top hit answers it
        r10 += recall_at(ranked, rel, 10)
    n = len(queries)
    return {"n": n, "mrr@10": round(mrr / n, 4), "top1_correct": round(r1 / n, 4), "recall@10": round(r10 / n, 4)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    corpus = demo_corpus()
    queries = judged(corpus)
    tune = [q for q in queries if q[0] % 2 == 1]
    test = [q for q in queries if q[0] % 2 == 0]
    embedder = create_embedder(Settings())
    indexes, _ = build_indexes(corpus, embedder)
    grid = {}
    for qw in (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0):
        r = fielded_retriever(indexes, question_weight=qw)
        grid[qw] = score(r, tune)
    best = max(grid, key=lambda w: (grid[w]["mrr@10"], -abs(w - 0.5)))
    rows = {
        "concatenated (before)": score(fielded_retriever(indexes, question_weight=0.0), test),
        "question only": score(fielded_retriever(indexes, question_weight=1.0), test),
        f"fielded, question weight {best} (chosen on tune half)": score(
            fielded_retriever(indexes, question_weight=best), test
        ),
    }
    out = {"corpus": len(corpus), "tune": {str(k): v for k, v in grid.items()}, "chosen": best, "test": rows}
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return
    for w, r in grid.items():
        print(f"tune  question weight {w:.1f}: MRR@10 {r['mrr@10']:.4f}  top-1 {r['top1_correct']:.4f}")
    for name, r in rows.items():
        print(f"test  {name:<48} MRR@10 {r['mrr@10']:.4f}  top-1 {r['top1_correct']:.4f}  R@10 {r['recall@10']:.4f}")


if __name__ == "__main__":
    main()
