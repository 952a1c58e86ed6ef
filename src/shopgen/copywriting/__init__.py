"""Product copy: titles, descriptions, selling points, live scripts and social posts, grounded in
catalog facts and checked against the advertising law.

    attrs       facts: AdvertiseGen strings and catalog products → [(key, value)]
    prompts     kinds, audiences, tones, limits and decoding per kind; the chat messages
    shape       clean-up and length/structure fitting of a draft
    compliance  极限词, medical claims, banned words; compliant rewrite
    grounding   colours, materials, sizes, numbers and claims vs the facts
    exemplars   AdvertiseGen-style exemplar store (Jaccard + BM25), nearest-copy baseline
    generate    Copywriter: generate → check → repair or regenerate; streaming variant
    metrics     BLEU-4 / ROUGE-1/2/L (ChatGLM-6B protocol), distinct-2
    evaluate    BLEU/ROUGE/grounding evaluation on AdvertiseGen-style data
    batch       resumable JSONL batch over a catalog, local or on Ray
"""
