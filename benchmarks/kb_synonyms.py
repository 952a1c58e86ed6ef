"""Knowledge search with a synonyms file, on the demo knowledge base and the 173 judged policy questions.

Corpus, questions and judgements are those of ``benchmarks/kb_fields.py`` (the demo FAQ, policies and
products; 2–3 relevant entries per topic). The search is the shop's knowledge index as shipped
(BM25 with character pairs, e5 passages, convex fusion); ``--synonyms FILE`` adds a lexicon to each
query's BM25 search (:mod:`shopgen.search.synonyms`). Nothing is tuned, so every question is reported.
The default file is the generic one EDA uses (``augment/data/synonyms.txt``, its words of two characters
or more): what a shop gets from words anyone would list, as against the words only it uses.

Usage: ``python benchmarks/kb_synonyms.py [--synonyms FILE] [--json]``
"""

from __future__ import annotations

import argparse
import json

from kb_fields import demo_corpus, judged, score  # noqa: E402  (the same corpus and judgements)
from shopgen.augment.lexicon import DEFAULT
from shopgen.core.settings import Settings
from shopgen.models.embed import create_embedder
from shopgen.search.bm25 import BM25Index
from shopgen.search.dense import build_cached
from shopgen.search.hybrid import default_hybrid
from shopgen.search.synonyms import MIN_CHARS, Synonyms, with_synonyms
from shopgen.text.lexicon import Lexicon


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--synonyms", default=str(DEFAULT))
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    corpus = demo_corpus()
    docs = [(i, f"{t} {b}") for i, t, b in corpus]  # one text per entry, as the knowledge index
    queries = judged(corpus)
    # the generic lexicon has one-character words, which a shop's file may not (they match inside others)
    groups = []
    for line in open(args.synonyms, encoding="utf-8"):
        words = [w for w in line.split("#", 1)[0].split() if len(w) >= MIN_CHARS]
        if len(words) >= 2:
            groups.append(words)
    synonyms = Synonyms(Lexicon(groups))
    bm25 = BM25Index.build(docs)
    dense, _ = build_cached(docs, create_embedder(Settings()), None)
    dense.prime([q for _, q, _ in queries])
    report = {"synonyms": args.synonyms, "groups": synonyms.lexicon.n_groups}
    expanded = sum(bool(synonyms.expansions(q)) for _, q, _ in queries)
    report["questions_expanded"] = f"{expanded} of {len(queries)}"
    for name, lexical in (("without", bm25), ("with", with_synonyms(bm25, synonyms))):
        report[f"bm25 {name}"] = score(lexical, queries)
        report[f"hybrid {name}"] = score(default_hybrid(lexical, dense), queries)
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
