"""Labelling tasks in the store: create, the next item, label, skip, undo, progress, export.

The queue hands out the pending item the model is least sure of, and holds it for that person for
:data:`HOLD`: someone else labelling the same task is handed the next one, not the same text (a
claim is one conditional UPDATE, so two requests at once cannot both take an item). A person who
asks again while holding an item gets it back (a reloaded page). Suggestions are made in
batches of :data:`BATCH` texts, when fewer than :data:`LOW_WATER` suggested items are left, so a
task of thousands of texts starts at once and the slower models (the e5 half of intent) are
only asked about texts a person is about to see. Skipped items come back after every other item
is done. Undo takes back the user's own latest action in the task, one step per call.

Suggestions learn from the people's labels (single-label tasks, :mod:`shopgen.labelling.learn`):
once a task has ``LEARN_FROM`` labels, and every ``RELEARN_EVERY`` more, the pending items no one
holds lose their suggestions and are suggested again, batch by batch, from the model blended with
what the labels so far say.

Item states (``labelled_at`` is SQL NULL until a person acts; JSON columns are not compared)::

    pending   labelled_at IS NULL
    done      labelled_at set, skipped false, final holds the label (aspects: a list, maybe empty)
    skipped   labelled_at set, skipped true

Raises NotFound for a task or item that is not there, InvalidInput (Chinese, naming the field)
for a label outside the task's set, Conflict when there is nothing to undo.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from shopgen.core.errors import Conflict, InvalidInput, NotFound
from shopgen.labelling import learn
from shopgen.labelling.kinds import MULTI, check_kind, label_name, listing, parse_labels
from shopgen.labelling.suggest import Models, Suggester, for_kind
from shopgen.labelling.texts import Text
from shopgen.security.principal import Principal
from shopgen.store.models import LabelItem, LabelTask, utcnow
from shopgen.text.features import featurize

BATCH = 100
LOW_WATER = 20
LEARNED_KEPT = 16  # fitted centroids kept in memory, by (task, its creation, labels learnt from)
_learned: dict[tuple, learn.Centroids] = {}
_learned_lock = threading.Lock()  # requests run in a thread pool
HOLD = timedelta(minutes=10)  # how long an item handed to one person is kept from the others
CANDIDATES = 8  # items tried per request when others claim the first ones at the same moment


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("任务名称：不能为空", {"field": "name"})
    if len(name) > 100:
        raise InvalidInput(f"任务名称：最多 100 个字（现在 {len(name)} 个）", {"field": "name"})
    return name


def create(s: Session, who: Principal, *, name: str, kind: str, labels: list[str], texts: list[Text], source: str):
    """A task and its items, in the caller's transaction (all or nothing)."""
    name = check_name(name)
    task = LabelTask(name=name, kind=kind, labels=labels, source=source[:200], created_by=who.actor[:80], seq=0)
    s.add(task)
    s.flush()
    s.add_all(LabelItem(task_id=task.id, text=t.text, source=t.source[:200], skipped=False) for t in texts)
    s.flush()
    return task


def new_task(
    s: Session, who: Principal, models: Models, *, name: str, kind: str, labels: str, texts: list[Text], source: str
) -> LabelTask:
    """A task of ``kind`` over ``texts``; ``labels`` as typed (blank: the kind's model's labels)."""
    kind = check_kind(kind)
    label_set = parse_labels(labels, for_kind(kind, models).default_labels() if not labels.strip() else [])
    return create(s, who, name=name, kind=kind, labels=label_set, texts=texts, source=source)


def get(s: Session, task_id: int) -> LabelTask:
    task = s.get(LabelTask, task_id)
    if task is None:
        raise NotFound(f"标注任务 {task_id} 不存在，可能已被删除", {"id": task_id})
    return task


def tasks(s: Session, limit: int = 100) -> list[LabelTask]:
    return list(s.scalars(select(LabelTask).order_by(LabelTask.id.desc()).limit(limit)))


def _item(s: Session, task: LabelTask, item_id: int) -> LabelItem:
    item = s.get(LabelItem, item_id)
    if item is None or item.task_id != task.id:
        raise NotFound(f"条目 {item_id} 不在标注任务 {task.id} 里", {"id": item_id})
    return item


def progress(s: Session, task: LabelTask) -> dict:
    """``total``, ``done``, ``skipped``, ``pending``, ``suggested``, ``counts`` per label
    (aspects: texts naming each aspect, and ``""`` for texts naming none) and ``learned_from``
    (how many labels the suggestions last learnt from; 0: none yet)."""
    rows = s.execute(
        select(LabelItem.labelled_at.is_(None), LabelItem.skipped, LabelItem.confidence.is_(None), func.count())
        .where(LabelItem.task_id == task.id)
        .group_by(LabelItem.labelled_at.is_(None), LabelItem.skipped, LabelItem.confidence.is_(None))
    )
    n = Counter()
    for pending, skipped, unsuggested, count in rows:
        key = "pending" if pending else "skipped" if skipped else "done"
        n[key] += count
        n["unsuggested"] += count if unsuggested else 0
    finals = s.scalars(
        select(LabelItem.final).where(
            LabelItem.task_id == task.id, LabelItem.labelled_at.is_not(None), LabelItem.skipped.is_(False)
        )
    )
    counts = Counter()
    for final in finals:
        if isinstance(final, list):
            counts.update(final or [""])
        elif final is not None:
            counts[final] += 1
    total = n["pending"] + n["skipped"] + n["done"]
    return {
        "total": total,
        "done": n["done"],
        "skipped": n["skipped"],
        "pending": n["pending"],
        "suggested": total - n["unsuggested"],
        "counts": {lb: counts.get(lb, 0) for lb in task.labels} | ({"": counts[""]} if "" in counts else {}),
        "learned_from": task.learned_n or 0,
    }


def _done(task: LabelTask):
    return (LabelItem.task_id == task.id) & LabelItem.labelled_at.is_not(None) & LabelItem.skipped.is_(False)


def _relearn(s: Session, task: LabelTask, now: datetime) -> None:
    """When enough new labels came in: note it on the task and clear the suggestions of pending
    items no one holds, so they are suggested again with what was learnt."""
    if task.kind in MULTI:
        return
    done = s.scalar(select(func.count()).where(_done(task))) or 0
    if done < learn.LEARN_FROM or (task.learned_n and done - task.learned_n < learn.RELEARN_EVERY):
        return
    # one conditional UPDATE: of two requests at once, one relearns
    won = s.execute(
        update(LabelTask)
        .where(LabelTask.id == task.id, LabelTask.learned_n == task.learned_n)
        .values(learned_n=done)
        .execution_options(synchronize_session=False)
    ).rowcount
    s.refresh(task)
    if won != 1:
        return
    s.execute(
        update(LabelItem)
        .where(
            LabelItem.task_id == task.id,
            LabelItem.labelled_at.is_(None),
            LabelItem.held_until.is_(None) | (LabelItem.held_until <= now),
        )
        .values(suggested=None, confidence=None)
        .execution_options(synchronize_session=False)
    )
    s.expire_all()


def _centroids(s: Session, task: LabelTask) -> learn.Centroids:
    # the creation time too: SQLite may give a deleted task's id to the next one
    key = (task.id, str(task.created_at), task.learned_n)
    with _learned_lock:
        if key in _learned:
            return _learned[key]
    rows = s.execute(
        select(LabelItem.text, LabelItem.final, LabelItem.suggested, LabelItem.confidence)
        .where(_done(task))
        .order_by(LabelItem.seq.desc())
        .limit(learn.LEARN_MAX)
    ).all()
    texts, gold = [r.text for r in rows], [r.final for r in rows]
    shown = [(r.suggested if isinstance(r.suggested, str) else None, r.confidence or 0.0) for r in rows]
    feats = [featurize(t) for t in texts]  # once, for the fit and the choice of its share
    fitted = learn.Centroids.fit(texts, gold, task.labels, feats)
    fitted.weight = learn.choose_weight(texts, gold, shown, task.labels, feats)
    with _learned_lock:
        while len(_learned) >= LEARNED_KEPT:
            _learned.pop(next(iter(_learned)))
        _learned[key] = fitted
    return fitted


def _suggest_more(s: Session, task: LabelTask, suggester: Suggester, now: datetime | None = None) -> None:
    _relearn(s, task, now or utcnow())
    pending = (LabelItem.task_id == task.id) & LabelItem.labelled_at.is_(None)
    ready = s.scalar(select(func.count()).where(pending & LabelItem.confidence.is_not(None)))
    if ready >= LOW_WATER:
        return
    batch = list(
        s.scalars(select(LabelItem).where(pending & LabelItem.confidence.is_(None)).order_by(LabelItem.id).limit(BATCH))
    )
    if not batch:
        return
    texts = [i.text for i in batch]
    suggestions = suggester.suggest(texts, task.labels)
    if task.learned_n and task.kind not in MULTI:
        suggestions = learn.blend(suggestions, _centroids(s, task), texts)
    for item, (label, confidence) in zip(batch, suggestions, strict=True):
        item.suggested, item.confidence = label, confidence
    s.flush()


def next_item(
    s: Session, task: LabelTask, suggester: Suggester, who: Principal, now: datetime | None = None
) -> LabelItem | None:
    """For ``who``: the item they hold, else the pending item the model is least sure of that no
    one else holds; once none is pending, the earliest skipped one. The item is then held for them
    until ``now`` + :data:`HOLD`. None when every item is labelled or held by others."""
    now = now or utcnow()
    actor = who.actor[:80]
    _suggest_more(s, task, suggester, now)
    mine = s.scalars(
        select(LabelItem).where(
            LabelItem.task_id == task.id,
            LabelItem.held_by == actor,
            LabelItem.held_until > now,
            LabelItem.labelled_at.is_(None) | LabelItem.skipped.is_(True),
        )
    ).first()
    if mine is not None:
        return _claimed(s, mine.id, actor, now)
    free = LabelItem.held_until.is_(None) | (LabelItem.held_until <= now) | (LabelItem.held_by == actor)
    for where, order in (
        (LabelItem.labelled_at.is_(None) & LabelItem.confidence.is_not(None), (LabelItem.confidence, LabelItem.id)),
        (LabelItem.skipped.is_(True), (LabelItem.seq, LabelItem.id)),
    ):
        ids = s.scalars(
            select(LabelItem.id).where(LabelItem.task_id == task.id, where, free).order_by(*order).limit(CANDIDATES)
        )
        for item_id in list(ids):
            item = _claimed(s, item_id, actor, now)
            if item is not None:
                return item
    return None


def _claimed(s: Session, item_id: int, actor: str, now: datetime) -> LabelItem | None:
    """Hold the item for ``actor`` unless someone else holds it; the item, or None if taken."""
    free = LabelItem.held_until.is_(None) | (LabelItem.held_until <= now) | (LabelItem.held_by == actor)
    taken = s.execute(
        update(LabelItem)
        .where(LabelItem.id == item_id, free)
        .values(held_by=actor, held_until=now + HOLD)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        return None
    item = s.get(LabelItem, item_id)
    s.refresh(item)
    return item


def _check(task: LabelTask, label, aspects) -> str | list[str]:
    if task.kind in MULTI:
        if aspects is None:
            raise InvalidInput(
                "方面：这个任务每条文本可选多个方面，请用 aspects 传一个列表（可为空）", {"field": "aspects"}
            )
        for a in aspects:
            if a not in task.labels:
                raise InvalidInput(
                    f"方面：没有“{str(a)[:32]}”这个方面，可选 {listing(task.labels)}", {"field": "aspects"}
                )
        return [a for a in task.labels if a in set(aspects)]  # the task's order, each once
    if label is None:
        raise InvalidInput("标签：必须填写，这个任务每条文本选一个标签", {"field": "label"})
    if label not in task.labels:
        raise InvalidInput(f"标签：没有“{str(label)[:32]}”这个标签，可选 {listing(task.labels)}", {"field": "label"})
    return label


def _act(s: Session, task: LabelTask, item: LabelItem, who: Principal) -> None:
    # one UPDATE, so two people labelling the same task never take the same number
    task.seq = s.execute(
        update(LabelTask).where(LabelTask.id == task.id).values(seq=LabelTask.seq + 1).returning(LabelTask.seq)
    ).scalar_one()
    item.labelled_by, item.labelled_at, item.seq = who.actor[:80], utcnow(), task.seq
    item.held_by, item.held_until = None, None


def label(s: Session, task: LabelTask, item_id: int, who: Principal, *, label=None, aspects=None) -> LabelItem:
    """Record a person's label (``aspects`` for an aspects task); a labelled item may be relabelled."""
    value = _check(task, label, aspects)
    item = _item(s, task, item_id)
    item.final, item.skipped = value, False
    _act(s, task, item, who)
    return item


def skip(s: Session, task: LabelTask, item_id: int, who: Principal) -> LabelItem:
    item = _item(s, task, item_id)
    item.final, item.skipped = None, True
    _act(s, task, item, who)
    return item


def undo(s: Session, task: LabelTask, who: Principal) -> LabelItem:
    """Take back ``who``'s latest label or skip in ``task``; the item is pending again."""
    item = s.scalars(
        select(LabelItem)
        .where(LabelItem.task_id == task.id, LabelItem.labelled_by == who.actor[:80], LabelItem.seq.is_not(None))
        .order_by(LabelItem.seq.desc())
        .limit(1)
    ).first()
    if item is None:
        raise Conflict("没有可以撤销的标注：你在这个任务里还没有标注或跳过任何条目")
    item.final, item.skipped, item.labelled_by, item.labelled_at, item.seq = None, False, None, None, None
    item.held_by, item.held_until = who.actor[:80], utcnow() + HOLD  # it is shown to them again next
    return item


def export_lines(s: Session, task: LabelTask) -> Iterator[str]:
    """One JSON line per labelled item, in upload order: ``{"text", "label"}`` (what ``shopgen intent
    train --data`` reads), or ``{"text", "aspects": [...]}`` for an aspects task."""
    items = s.scalars(
        select(LabelItem)
        .where(LabelItem.task_id == task.id, LabelItem.labelled_at.is_not(None), LabelItem.skipped.is_(False))
        .order_by(LabelItem.id)
    )
    key = "aspects" if task.kind in MULTI else "label"
    for item in items:
        yield json.dumps({"text": item.text, key: item.final}, ensure_ascii=False) + "\n"


def item_dict(item: LabelItem) -> dict:
    suggested = item.suggested
    return {
        "id": item.id,
        "text": item.text,
        "source": item.source,
        "suggested": suggested,
        "suggested_names": [label_name(a) for a in suggested]
        if isinstance(suggested, list)
        else label_name(suggested)
        if suggested
        else None,
        "confidence": item.confidence,
        "final": item.final if item.labelled_at is not None else None,
        "skipped": item.skipped,
        "labelled_by": item.labelled_by,
    }


def task_dict(task: LabelTask, prog: dict | None = None) -> dict:
    out = {
        "id": task.id,
        "name": task.name,
        "kind": task.kind,
        "labels": [{"code": lb, "name": label_name(lb), "key": str((i + 1) % 10)} for i, lb in enumerate(task.labels)],
        "source": task.source,
        "created_by": task.created_by,
        "created_at": task.created_at.isoformat() if task.created_at else None,
    }
    return out | ({"progress": prog} if prog is not None else {})
