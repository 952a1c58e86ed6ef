"""The shop's synonym groups, kept in the database and edited in the studio (同义词).

Each group lists words the shop's shoppers use for the same thing (小白鞋 帆布鞋 板鞋); a knowledge
search for one also looks up the others (:mod:`shopgen.search.synonyms`). An operator adds, edits
and deletes groups at /assist/synonyms or ``/api/assist/synonyms``; every change is audited and is
in the very next turn of every chat and live room, without a restart:
:class:`shopgen.assistant.shared.SharedIndex` compares :func:`fingerprint` before each turn and
swaps the index's synonyms when it moved. Groups from the file ``SHOPGEN_KB_SYNONYMS`` (read at
start) still apply beside them, read-only.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shopgen.core.errors import Conflict, InvalidInput, NotFound
from shopgen.search.synonyms import MIN_CHARS, Synonyms
from shopgen.security import audit, pii
from shopgen.security.principal import Principal
from shopgen.store.models import KBSynonym, Message
from shopgen.text.lexicon import Lexicon
from shopgen.text.tokenize import normalise, tokens

MAX_WORDS = 20  # words in one group
MAX_CHARS = 20  # characters in one word
MAX_GROUPS = 5000  # groups a shop keeps
SEPARATORS = re.compile(r"[\s,，、;；/|｜]+")
# chat filler that is no product's or service's name (a word in the knowledge base is never listed)
FILLER = frozenset(
    "你好 您好 在吗 在不在 请问 谢谢 麻烦 老板 客服 亲亲 一下 怎么办 为什么 是不是 有没有 可不可以 能不能 好的 那个 这个 就是 还是 已经 然后".split()
)
_WORD = re.compile(r"^(?=.*[\u4e00-\u9fffA-Za-z])[\w\u4e00-\u9fff]+$")


def parse(words: str | list[str]) -> list[str]:
    """A group's words from a line (split at spaces, 、 ， ； / |) or a list, checked:
    2 to :data:`MAX_WORDS` different words of :data:`MIN_CHARS` to :data:`MAX_CHARS` characters."""
    items = SEPARATORS.split(words) if isinstance(words, str) else [w for x in words for w in SEPARATORS.split(x)]
    out: dict[str, str] = {}
    for w in (x.strip() for x in items):
        if not w:
            continue
        if "#" in w:
            raise InvalidInput(f"同义词不能含“#”：{w}")
        n = len(normalise(w))
        if n < MIN_CHARS:
            raise InvalidInput(f"每个词至少 {MIN_CHARS} 个字（单字会匹配进无关的词）：{w}")
        if n > MAX_CHARS:
            raise InvalidInput(f"每个词最多 {MAX_CHARS} 个字：{w[:MAX_CHARS]}…")
        out.setdefault(normalise(w), w)
    if len(out) < 2:
        raise InvalidInput("一组同义词至少要有两个不同的词")
    if len(out) > MAX_WORDS:
        raise InvalidInput(f"一组同义词最多 {MAX_WORDS} 个词")
    return list(out.values())


def _key(words: list[str]) -> str:
    return "|".join(sorted(normalise(w) for w in words))


def to_dict(g: KBSynonym) -> dict:
    return {
        "id": g.id,
        "words": list(g.words),
        "created_by": g.created_by,
        "updated_at": g.updated_at.isoformat() if g.updated_at else None,
    }


def rows(s: Session) -> list[KBSynonym]:
    return list(s.scalars(select(KBSynonym).order_by(KBSynonym.id)))


def listing(s: Session) -> list[dict]:
    return [to_dict(g) for g in rows(s)]


def _duplicate(s: Session, key: str, but: int | None = None) -> None:
    same = s.scalar(select(KBSynonym.id).where(KBSynonym.key == key))
    if same is not None and same != but:
        raise Conflict(f"已有相同的同义词组 #{same}")


def add(s: Session, who: Principal, words: str | list[str], *, address: str = "") -> dict:
    words = parse(words)
    key = _key(words)
    _duplicate(s, key)
    if (s.scalar(select(func.count()).select_from(KBSynonym)) or 0) >= MAX_GROUPS:
        raise InvalidInput(f"同义词组已达上限 {MAX_GROUPS} 组")
    g = KBSynonym(words=words, key=key, created_by=who.actor[:80])
    s.add(g)
    _flush(s)
    audit.record(s, who, "kb.synonyms.add", f"kb_synonym:{g.id}", {"words": words}, address=address)
    return to_dict(g)


def add_lines(s: Session, who: Principal, text: str, *, address: str = "") -> list[dict]:
    """Several groups, one a line (``#`` starts a comment), all or none: every line is checked
    before any is written, and an error names its line."""
    lines = [(n, line.split("#", 1)[0].strip()) for n, line in enumerate(text.splitlines(), 1)]
    lines = [(n, line) for n, line in lines if line]
    if not lines:
        raise InvalidInput("请输入至少一组同义词，每行一组")
    groups, seen = [], {}
    for n, line in lines:
        try:
            words = parse(line)
            key = _key(words)
            if key in seen:
                raise Conflict(f"与第 {seen[key]} 行相同")
            _duplicate(s, key)
        except (InvalidInput, Conflict) as exc:
            raise type(exc)(f"第 {n} 行：{exc.message}") from None
        seen[key] = n
        groups.append(words)
    return [add(s, who, words, address=address) for words in groups]


def update(s: Session, who: Principal, group_id: int, words: str | list[str], *, address: str = "") -> dict:
    g = _get(s, group_id)
    words = parse(words)
    key = _key(words)
    _duplicate(s, key, but=g.id)
    before = list(g.words)
    g.words, g.key = words, key
    _flush(s)
    audit.record(
        s, who, "kb.synonyms.update", f"kb_synonym:{g.id}", {"before": before, "words": words}, address=address
    )
    return to_dict(g)


def delete(s: Session, who: Principal, group_id: int, *, address: str = "") -> None:
    g = _get(s, group_id)
    audit.record(s, who, "kb.synonyms.delete", f"kb_synonym:{g.id}", {"words": list(g.words)}, address=address)
    s.delete(g)
    s.flush()


def _get(s: Session, group_id: int) -> KBSynonym:
    g = s.get(KBSynonym, group_id)
    if g is None:
        raise NotFound(f"同义词组 #{group_id} 不存在")
    return g


def _flush(s: Session) -> None:
    """Two operators saving the same group at once: the second gets the conflict, not a 500."""
    try:
        s.flush()
    except IntegrityError:
        s.rollback()
        raise Conflict("已有相同的同义词组") from None


def fingerprint(s: Session) -> tuple:
    """Changes whenever a group is added, edited or deleted (count, newest change, highest id)."""
    return tuple(s.execute(select(func.count(), func.max(KBSynonym.updated_at), func.max(KBSynonym.id))).one())


def merged(s: Session, configured: Synonyms | None = None) -> Synonyms | None:
    """The synonyms a search uses: the configured file's groups and the database's (None: neither)."""
    groups = list(configured.lexicon.groups) if configured is not None else []
    groups += [tuple(words) for words in s.scalars(select(KBSynonym.words).order_by(KBSynonym.id))]
    return Synonyms(Lexicon(groups), "shop synonyms") if groups else None


def load(db, configured: Synonyms | None = None) -> Synonyms | None:
    with db.session() as s:
        return merged(s, configured)


def preview(index, query: str, k: int = 3, method: str = "hybrid") -> dict:
    """What the shop's synonyms do to one question on ``index`` (a built
    :class:`~shopgen.assistant.index.KnowledgeIndex`): the words its search adds, and the top
    ``k`` of its search (the chat's hybrid by default) with and without them."""
    query = query.strip()
    if not query:
        raise InvalidInput("请输入一句顾客会问的话")
    current = getattr(index.bm25, "synonyms", None)
    added = current.expansions(query) if current is not None else []

    def top(synonyms: bool) -> list[dict]:
        return [
            {"id": h["id"], "kind": h["kind"], "title": h["title"]} for h in index.search(query, method, k, synonyms)
        ]

    with_them = top(True)
    return {"query": query, "added": added, "with": with_them, "without": top(False) if added else with_them}


def unknown_words(
    s: Session,
    index,
    *,
    days: int = 30,
    limit: int = 20,
    min_questions: int = 2,
    scan: int = 20_000,
    order_pattern: str | None = None,
) -> list[dict]:
    """Words shoppers used in at least ``min_questions`` of the questions the bot could not answer
    (route ``abstain``) in the last ``days`` that no entry of ``index`` contains and no synonym
    group lists: the names a shop's synonyms are for (「小白鞋」 when the knowledge base says 帆布鞋).
    Most frequent first, each with how many such questions used it and one of them, personal data
    masked. (A word of one question is mostly the rest of that sentence.)"""
    since = datetime.now(UTC) - timedelta(days=days)
    rows = s.execute(
        select(Message.conversation_id, Message.role, Message.content, Message.meta)
        .where(Message.created_at >= since, Message.role.in_(("user", "assistant")))
        .order_by(Message.id.desc())
        .limit(scan)
    ).all()
    known = index.vocabulary
    current = getattr(index.bm25, "synonyms", None)
    grouped = {normalise(w) for w in current.lexicon.words()} if current is not None else set()
    counts: Counter = Counter()
    example: dict[str, str] = {}
    unanswered: set[str] = set()  # conversations whose next bot reply (newer, seen first) abstained
    for conv, role, content, meta in rows:
        if role == "assistant":
            if (meta or {}).get("route") == "abstain":
                unanswered.add(conv)
            else:
                unanswered.discard(conv)
            continue
        if conv not in unanswered:
            continue
        unanswered.discard(conv)
        for w in set(tokens(content)):
            if len(w) < MIN_CHARS or w in known or w in grouped or w in FILLER or not _WORD.match(w):
                continue
            counts[w] += 1
            example.setdefault(w, content)
    kw = {"order_pattern": order_pattern} if order_pattern else {}
    return [
        {"word": w, "questions": n, "example": pii.mask(example[w], **kw)[:80]}
        for w, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))[:limit]
        if n >= min_questions
    ]
