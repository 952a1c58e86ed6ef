"""Studio page 商品文案 (/copy, role ``operator``): write copy for a catalog product with the
streaming /api/copy/generate, keep it as a draft, review drafts (edit, approve, reject) and run
batch jobs over a category. The page's script (static/copy.js) talks to /api/copy/* with the
session cookie and CSRF token; the server renders the pickers."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from shopgen.copywriting import drafts
from shopgen.copywriting.batchjobs import KIND_LABELS, LANG_LABELS
from shopgen.copywriting.prompts import AUDIENCES, KINDS, TONES
from shopgen.http.auth import Operator
from shopgen.http.deps import SessionDep
from shopgen.store import catalog
from shopgen.web.routes import render

router = APIRouter(include_in_schema=False)


@router.get("/copy", response_class=HTMLResponse)
def copy_page(request: Request, s: SessionDep, _: Operator):
    return render(
        request,
        "copy.html",
        {
            "products": catalog.active_choices(s),
            "categories": [c for c, _n in catalog.categories(s)],
            "kinds": [(k, KIND_LABELS.get(k, k)) for k in KINDS],
            "audiences": list(AUDIENCES),
            "tones": list(TONES),
            "langs": list(LANG_LABELS.items()),
            "counts": drafts.counts(s),
            "backend": request.app.state.settings.llm_backend,
        },
    )
