"""Evaluation metrics, each checked against a reference implementation or a hand computation."""
