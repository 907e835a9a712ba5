"""The web pages (the chat, the API docs) and their static files: nothing but this origin, never framed,
never sniffed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

# The API docs (Swagger UI, ReDoc) style their elements inline, show data: images and run ReDoc's search
# in a blob: worker; still nothing from any other origin.
DOCS_HEADERS = {
    **PAGE_HEADERS,
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "worker-src 'self' blob:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'"
    ),
}

router = APIRouter(include_in_schema=False)


@router.get("/")
async def index_page() -> FileResponse:
    return FileResponse(WEB_DIR / "index.html", media_type="text/html", headers=PAGE_HEADERS)


@router.get("/staff")
async def staff_page() -> FileResponse:
    """The staff page: documents (upload, remove, reindex, progress) and unanswered questions. The admin
    key is entered in the page; without it the page shows nothing but the key's form."""
    return FileResponse(WEB_DIR / "staff.html", media_type="text/html", headers=PAGE_HEADERS)


@router.get("/documents/{document_id}")
async def document_page(document_id: str) -> FileResponse:
    """A document's text, passage by passage; its script reads the id from the address."""
    del document_id
    return FileResponse(WEB_DIR / "document.html", media_type="text/html", headers=PAGE_HEADERS)


@router.get("/docs")
async def swagger_ui() -> FileResponse:
    """Swagger UI from the copy shipped in the package (web/vendor), so the docs work offline."""
    return FileResponse(WEB_DIR / "docs.html", media_type="text/html", headers=DOCS_HEADERS)


@router.get("/redoc")
async def redoc() -> FileResponse:
    return FileResponse(WEB_DIR / "redoc.html", media_type="text/html", headers=DOCS_HEADERS)


@router.get("/favicon.ico")
async def favicon() -> Response:
    return Response(status_code=204)


def mount_static(app: FastAPI) -> None:
    """The page's scripts and styles under /static, with the page's security headers."""

    @app.middleware("http")
    async def static_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        if request.url.path.startswith("/static/"):
            response.headers.update(PAGE_HEADERS)
        return response

    app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")
