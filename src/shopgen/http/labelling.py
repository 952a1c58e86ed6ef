"""What the labelling API and the studio's 数据标注 page share: who may label, the task's
suggester, and making a task from a form (audited as ``labelling.create``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, UploadFile

from shopgen.http.auth import client_address, require
from shopgen.insight.sources import reviews_path
from shopgen.labelling import queue, texts
from shopgen.labelling.suggest import Suggester, for_kind
from shopgen.security import audit
from shopgen.security.principal import Principal

LABELLER = "operator|agent"  # catalog and service-desk people label what shoppers write
Labeller = Annotated[Principal, Depends(require(LABELLER))]
READ_LIMIT = 2 * 1024 * 1024  # the request body limit stops bigger uploads first


def models(request: Request, kind: str) -> Suggester:
    return for_kind(kind, request.app.state.labelling_models)


def create_task(request: Request, db, who: Principal, *, name, kind, labels, source, file: UploadFile | None) -> int:
    """A new task's id. Nothing is written unless the name, kind, label set and every line are valid."""
    from shopgen.labelling.kinds import check_kind

    settings = request.app.state.settings
    queue.check_name(name)
    check_kind(kind)
    data = file.file.read(READ_LIMIT + 1) if file is not None else None
    filename = (file.filename or "") if file is not None else ""
    with db.session() as s:
        found, described = texts.gather(
            source,
            data=data,
            filename=filename,
            s=s,
            reviews=reviews_path(settings),
            order_pattern=settings.pii_order_pattern,
        )
        task = queue.new_task(
            s,
            who,
            request.app.state.labelling_models,
            name=name,
            kind=kind,
            labels=labels,
            texts=found,
            source=described,
        )
        audit.record(
            s,
            who,
            "labelling.create",
            f"label_task:{task.id}",
            {"name": task.name, "kind": task.kind, "items": len(found), "source": described},
            address=client_address(request),
        )
        return task.id
