"""AI runtimes behind small Protocols: ``llm`` (text generation), ``embed`` (embeddings),
``sources`` (where model weights come from) and ``runtime`` (lazy, shared instances)."""
