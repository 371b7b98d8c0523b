"""The API's documented contract as tests check it: JSON answers against webapp/openapi.json."""

from __future__ import annotations

import json
from pathlib import Path

from openapi_schema_validator import OAS31Validator

OPENAPI = json.loads((Path(__file__).parent.parent / "webapp" / "openapi.json").read_text())


def conforms(data: dict, schema_name: str) -> dict:
    """``data``, after checking it against the OpenAPI document's schema of that name."""
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": OPENAPI["components"]}
    OAS31Validator(schema).validate(data)
    return data


def get_json(client, url: str, status: int = 200, schema: str | None = None, **kwargs) -> dict:
    """The JSON answer to ``GET url``, checked for status, type and schema (default: the search
    page, or the error shape for 4xx/5xx)."""
    response = client.get(url, **kwargs)
    assert response.status_code == status, (url, response.get_data(as_text=True))
    assert response.mimetype == "application/json"
    data = response.get_json()
    return conforms(data, schema or ("Error" if status >= 400 else "SearchPage"))
