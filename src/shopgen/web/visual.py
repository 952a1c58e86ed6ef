"""Studio page 视觉工坊 (/visual, role ``operator``): pick a catalog product or upload a photo, see
the cut-out beside the original, make layout candidates for a format (scores shown), edit a
candidate's texts and colours and re-render it, make a main image, a scene and a showcase video,
download every file, and run batch jobs over the catalog with progress and resume. The page's
script (static/visual.js) talks to /api/visual/* with the session cookie and CSRF token."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from shopgen.http.auth import Operator
from shopgen.http.deps import SessionDep
from shopgen.store import catalog
from shopgen.visual.design import FORMATS
from shopgen.visual.scene import TEXTURES
from shopgen.web.routes import render

router = APIRouter(include_in_schema=False)
TEXTURE_LABELS = {"linen": "亚麻", "wood": "木纹", "marble": "大理石", "concrete": "水泥"}


@router.get("/visual", response_class=HTMLResponse)
def visual_page(request: Request, s: SessionDep, _: Operator):
    return render(
        request,
        "visual.html",
        {
            "products": catalog.active_choices(s),
            "categories": [c for c, _n in catalog.categories(s)],
            "formats": [(k, label, w, h) for k, (w, h, label) in FORMATS.items()],
            "textures": [(t, TEXTURE_LABELS.get(t, t)) for t in TEXTURES],
            "segmenter": request.app.state.settings.vision_segmenter,
        },
    )
