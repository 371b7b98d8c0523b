"""Every error answers in the reader's language: an HTML page, or JSON under ``/api``.

Werkzeug's English descriptions are never shown; a traceback never reaches a reader.
"""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from webapp.routing import is_api_request

RETRY_AFTER_SECONDS = 60

# Title and explanation for each status; other statuses fall back to their class (4xx, 5xx).
MESSAGES = {
    400: (_l("Bad request"), _l("The address contains a value the site cannot use.")),
    404: (
        _l("Page not found"),
        _l("There is no page at this address. It may have moved, or the link may be mistyped."),
    ),
    405: (_l("Method not allowed"), _l("This address does not accept that kind of request.")),
    500: (
        _l("Something went wrong"),
        _l("The site ran into a problem answering this request. Please try again later."),
    ),
    503: (
        _l("Temporarily unavailable"),
        _l("The site cannot answer right now. Please try again in a minute."),
    ),
}

CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 503: "unavailable"}


class Problem(HTTPException):
    """An HTTP error with our own stable ``error_code`` and a localized message."""

    def __init__(self, status: int, error_code: str, message: str):
        self.code = status
        super().__init__(description=message)
        self.error_code = error_code


def bad_parameter(error_code: str, message: str) -> Problem:
    return Problem(400, error_code, message)


def index_unavailable() -> Problem:
    return Problem(
        503,
        "index_unavailable",
        _l(
            "The knowledge base is not ready: its search index has not been built yet. "
            "Please try again later."
        ),
    )


def article_not_found(slug: str) -> Problem:
    return Problem(404, "article_not_found", _l("There is no article “%(slug)s”.", slug=slug))


def handle_http_error(error: HTTPException) -> tuple[Response | str, int, list]:
    """Render ``error`` for a reader (HTML) or a program (JSON), keeping headers like Allow."""
    status = error.code or 500
    title, explanation = MESSAGES.get(status) or MESSAGES[400 if status < 500 else 500]
    if isinstance(error, Problem):
        code, message = error.error_code, str(error.description)
    else:
        code, message = CODES.get(status, "internal_error" if status >= 500 else "error"), None
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    if status == 503:
        headers.append(("Retry-After", str(RETRY_AFTER_SECONDS)))
    if is_api_request():
        body = {"error": {"code": code, "message": message or str(explanation)}}
        return jsonify(body), status, headers
    page = render_template("error.html", status=status, title=title, message=message or explanation)
    return page, status, headers


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
