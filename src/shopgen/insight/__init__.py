"""Review and comment insight: sentiment, aspects, topics, monitoring and reports.

Modules, one concept each::

    features     text → sparse features (char n-grams, jieba words, negation scope)
    parallel     a pool of worker processes for large batches
    model        the linear sentiment model: load / save plain arrays, batch scoring
    train        fit a model on labelled texts (scikit-learn, ``insight`` extra)
    sentiment    one text or a batch → {"label", "score", "language"}
    datasets     streaming CSV / JSONL readers that name the bad line
    evaluate     accuracy, macro-F1, speed, and the snownlp baseline in the same run
    aspects      which aspects a review talks about and the polarity of each
    topics       themes among negative reviews (TF-IDF + KMeans, c-TF-IDF keywords)
    stream       timestamped texts: parsing, scopes, out-of-order rule
    monitor      negative-rate spikes and volume anomalies against a robust baseline
    sinks        where alerts go: webhook (POST JSON), the studio's alert log
    lexicon      aspect terms and cues
    aspect_eval  per-aspect P/R/F1 and polarity accuracy
    charts       matplotlib PNGs with a CJK font
    report       HTML report with PNG charts
    overview     the studio dashboard's figures over a reviews file, cached by content

Nothing here loads a model or imports scikit-learn / matplotlib at import time.
"""
