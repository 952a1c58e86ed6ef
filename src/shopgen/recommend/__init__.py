"""Personalised recommendation from shopper behaviour plus product text.

::

    base        the Recommender protocol, ItemSide (ids, text vectors, categories), the registry
    data        interactions: ids, weights by event type, the user × item matrix
    popular     popularity (same for everyone; category-aware for similar items)
    itemknn     item-to-item co-occurrence (cosine, top-k neighbours)
    ease        EASE, a closed-form item-to-item model (Steck 2019); the best on ml-100k here
    mf          implicit-feedback matrix factorisation (ALS from the ``implicit`` library)
    text        product embeddings (the shop's e5 embedder): cold items and cold shoppers
    hybrid      behaviour and text blended; a cold item is ranked by its text
    persist     save and load a trained model (npz, no pickle)
    items       item text: the catalog, Amazon metadata, RecBole .item files
    split       random 8:1:1 per user (RecBole's protocol), leave-last-out, cold items
    evaluate    `shopgen recommend eval`: NDCG/Recall/MRR/Hit/Precision@10, timing
    rules       business rules: active, in stock, category diversity, per-surface filters
    reasons     「因为你看过…」「同款面料」「同类热卖」
    service     serving for the API and the studio: cold start, rules, reasons, cache
    batch       batch scoring for many shoppers, locally or on Ray
"""
