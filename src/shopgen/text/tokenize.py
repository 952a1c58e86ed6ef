"""Tokenisation for retrieval and metrics: jieba with the shop-term user dictionary.

jieba's dictionary loads once per process (about a second), lazily, under a lock.

>>> tokens("花呗怎么还款？包邮吗")
['花呗', '怎么', '还款', '包邮', '吗']
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from pathlib import Path

_USER_DICT = Path(__file__).with_name("shop_terms.txt")
_lock = threading.Lock()
_tokenizer = None

# punctuation and symbols (after NFKC, full-width forms are half-width) and whitespace
_DROP = re.compile(r"^[\W_]+$", re.UNICODE)


def normalise(text: str) -> str:
    """NFKC (full-width → half-width), lower-case, collapse whitespace."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def _get():
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tk = jieba.Tokenizer()
                with open(_USER_DICT, "rb") as f:  # jieba leaves a path's file open
                    tk.load_userdict(f)
                _tokenizer = tk
    return _tokenizer


def tokens(text: str, *, search: bool = False) -> list[str]:
    """Words of ``text`` without punctuation; ``search`` adds jieba's sub-words of long words."""
    tk = _get()
    text = normalise(text)
    words = tk.lcut_for_search(text) if search else tk.lcut(text)
    return [w for w in (w.strip() for w in words) if w and not _DROP.match(w)]


def pieces(text: str) -> list[str]:
    """jieba words of ``text`` as written, punctuation and spaces included, so that
    ``"".join(pieces(text)) == text`` (what text editors such as augmentation work on)."""
    return _get().lcut(text) if text else []
