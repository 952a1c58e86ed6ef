"""Labelling tasks under /api/labelling (role ``operator`` or ``agent``: the people who run the
catalog and the service desk label what shoppers write). Creating, exporting and deleting a task
are audited (``labelling.create``, ``labelling.export``); deleting is the studio's, for
``operator`` (``labelling.delete``).

A task is created from a multipart form (``name``, ``kind``, ``labels``, ``source`` and, for
``source=upload``, ``file``); the queue is ``GET …/next``, ``POST …/items/{id}/label`` with
``{"label"}`` (``{"aspects": [...]}`` for an aspects task), ``…/skip`` and ``…/undo``;
``GET …/export`` downloads the labelled items as JSONL.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from shopgen.http.auth import client_address, require
from shopgen.http.deps import DbDep, SessionDep
from shopgen.http.labelling import LABELLER, Labeller, create_task, models
from shopgen.http.params import IdPath
from shopgen.labelling import queue
from shopgen.security import audit

router = APIRouter(prefix="/api/labelling", tags=["labelling"], dependencies=[Depends(require(LABELLER))])
# deleting a task is the studio's (operator only, /labelling/{id}/delete): a route here declares
# one requirement, the router's

Label = Annotated[str, StringConstraints(min_length=1, max_length=32)]


class LabelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: Label | None = None
    aspects: list[Label] | None = Field(default=None, max_length=10)


def _state(s, task) -> dict:
    return queue.task_dict(task, queue.progress(s, task))


@router.get("/tasks")
def list_tasks(s: SessionDep) -> dict:
    return {"items": [_state(s, t) for t in queue.tasks(s)]}


@router.post("/tasks", status_code=201)
def new_task(
    request: Request,
    db: DbDep,
    who: Labeller,
    name: Annotated[str, Form(max_length=100)] = "",
    kind: Annotated[str, Form()] = "",
    labels: Annotated[str, Form(max_length=1000)] = "",
    source: Annotated[str, Form()] = "upload",
    file: Annotated[UploadFile | None, File()] = None,
) -> dict:
    """Make a task; a bad line in the file rejects it whole (``detail.lines`` names them)."""
    task_id = create_task(request, db, who, name=name, kind=kind, labels=labels, source=source, file=file)
    with db.session() as s:
        return _state(s, queue.get(s, task_id))


@router.get("/tasks/{task_id}")
def get_task(task_id: IdPath, s: SessionDep) -> dict:
    return _state(s, queue.get(s, task_id))


@router.get("/tasks/{task_id}/next")
def next_item(request: Request, task_id: IdPath, s: SessionDep, who: Labeller) -> dict:
    """The pending item the model is least sure of, held for the caller a while so that others
    labelling the task are handed other items (``item`` is null when none is left for them)."""
    task = queue.get(s, task_id)
    item = queue.next_item(s, task, models(request, task.kind), who)
    return {"item": queue.item_dict(item) if item else None, "progress": queue.progress(s, task)}


@router.post("/tasks/{task_id}/items/{item_id}/label")
def label_item(task_id: IdPath, item_id: IdPath, body: LabelIn, s: SessionDep, who: Labeller) -> dict:
    task = queue.get(s, task_id)
    item = queue.label(s, task, item_id, who, label=body.label, aspects=body.aspects)
    return {"item": queue.item_dict(item), "progress": queue.progress(s, task)}


@router.post("/tasks/{task_id}/items/{item_id}/skip")
def skip_item(task_id: IdPath, item_id: IdPath, s: SessionDep, who: Labeller) -> dict:
    task = queue.get(s, task_id)
    item = queue.skip(s, task, item_id, who)
    return {"item": queue.item_dict(item), "progress": queue.progress(s, task)}


@router.post("/tasks/{task_id}/undo")
def undo(task_id: IdPath, s: SessionDep, who: Labeller) -> dict:
    """Take back your latest label or skip in this task (409 when there is none)."""
    task = queue.get(s, task_id)
    item = queue.undo(s, task, who)
    return {"item": queue.item_dict(item), "progress": queue.progress(s, task)}


@router.get("/tasks/{task_id}/export")
def export(request: Request, task_id: IdPath, db: DbDep, who: Labeller) -> StreamingResponse:
    """The labelled items as JSONL: ``{"text", "label"}`` per line (aspects: ``{"text", "aspects"}``)."""
    with db.session() as s:
        task = queue.get(s, task_id)
        lines = list(queue.export_lines(s, task))
        audit.record(
            s,
            who,
            "labelling.export",
            f"label_task:{task.id}",
            {"kind": task.kind, "items": len(lines)},
            address=client_address(request),
        )
        filename = f"labelling-{task.id}-{task.kind}.jsonl"
    return StreamingResponse(
        iter(lines),
        media_type="application/x-ndjson; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
