"""人 Customer-service assistant: knowledge-base retrieval (and, next, grounded answers,
sessions, order tools and human hand-off)."""
