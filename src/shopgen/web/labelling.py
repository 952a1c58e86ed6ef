"""Studio page 数据标注 (/labelling, role ``operator`` or ``agent``): the labelling tasks, a form
that makes one from an upload, the shop's reviews or shoppers' turns, and the keyboard queue
(/labelling/{id}) that ``static/labelling.js`` drives through /api/labelling."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from shopgen.core.errors import InvalidInput
from shopgen.http.auth import Operator, client_address
from shopgen.http.deps import DbDep, SessionDep
from shopgen.http.labelling import Labeller, create_task
from shopgen.http.params import IdPath
from shopgen.labelling import learn, queue, texts
from shopgen.labelling.kinds import KINDS, MAX_LABELS
from shopgen.labelling.queue import BATCH
from shopgen.security import audit
from shopgen.web.routes import render

router = APIRouter(include_in_schema=False)


def _list_page(request, s, *, form=None, error="", notice="", status=200):
    found = queue.tasks(s)
    return render(
        request,
        "labelling.html",
        {
            "tasks": [queue.task_dict(t, queue.progress(s, t)) for t in found],
            "kinds": KINDS,
            "sources": texts.SOURCES,
            "form": form or {"name": "", "kind": "intent", "labels": "", "source": "upload"},
            "error": error,
            "notice": notice,
            "max_items": texts.MAX_ITEMS,
            "max_labels": MAX_LABELS,
        },
        status,
    )


@router.get("/labelling", response_class=HTMLResponse)
def labelling_page(request: Request, s: SessionDep, _: Labeller, deleted: str = ""):
    return _list_page(request, s, notice=f"已删除任务「{deleted[:100]}」" if deleted else "")


@router.post("/labelling", response_class=HTMLResponse)
def labelling_create(
    request: Request,
    db: DbDep,
    who: Labeller,
    name: Annotated[str, Form(max_length=100)] = "",
    kind: Annotated[str, Form(max_length=32)] = "",
    labels: Annotated[str, Form(max_length=1000)] = "",
    source: Annotated[str, Form(max_length=32)] = "upload",
    file: Annotated[UploadFile | None, File()] = None,
):
    try:
        task_id = create_task(request, db, who, name=name, kind=kind, labels=labels, source=source, file=file)
    except InvalidInput as exc:
        form = {"name": name, "kind": kind, "labels": labels, "source": source}
        with db.session() as s:
            return _list_page(request, s, form=form, error=exc.message, status=422)
    return RedirectResponse(f"/labelling/{task_id}", status_code=303)


@router.get("/labelling/{task_id:int}", response_class=HTMLResponse)
def queue_page(request: Request, task_id: IdPath, s: SessionDep, _: Labeller):
    task = queue.get(s, task_id)
    return render(
        request,
        "labelling_queue.html",
        {
            "task": queue.task_dict(task, queue.progress(s, task)),
            "kinds": KINDS,
            "batch": BATCH,
            "learn_from": learn.LEARN_FROM,
            "relearn_every": learn.RELEARN_EVERY,
        },
    )


@router.post("/labelling/{task_id:int}/delete")
def delete_task(request: Request, task_id: IdPath, who: Operator):
    with request.app.state.db.session() as s:
        task = queue.get(s, task_id)
        name = task.name
        audit.record(
            s, who, "labelling.delete", f"label_task:{task.id}", {"name": name}, address=client_address(request)
        )
        s.delete(task)
    return RedirectResponse("/labelling?" + urlencode({"deleted": name}), status_code=303)
