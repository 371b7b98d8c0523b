"""The one settings registry, shared by the web app and ``indexer.py``.

Layers, later ones winning: the defaults below, ``<instance>/config.py``, ``KB_*`` variables of
the environment the caller passes (``kb`` never reads ``os.environ`` itself), then overrides
(``create_app(test_config)``, command-line options). README's settings table is tested against
the fields below.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import sys
import typing
from collections.abc import Mapping
from dataclasses import Field, dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kb.content import BUNDLED_CONTENT, LOCALES
from kb.embedding import DEFAULT_ENCODER, ENCODER_CHOICES, NO_ENCODER, encoder
from kb.params import DEFAULTS, SearchParams

TRANSLATIONS_PACKAGE = "kb_translations"  # translations/, as pyproject.toml installs it
CONFIG_FILE = "config.py"
INDEX_SHOWN = "<instance>/index"
PREFIX = "KB_"
CSP_SOURCE_RE = re.compile(r"[^\s;,]+\Z")
# A host name as Flask's TRUSTED_HOSTS takes it: a leading dot trusts every subdomain too.
HOST_RE = re.compile(r"\.?[a-z0-9-]+(\.[a-z0-9-]+)*\Z|\[[0-9a-f:.]+\]\Z", re.IGNORECASE)


def bundled_translations() -> Path:
    """The catalogs and glossary folder: the installed ``kb_translations`` (a wheel or an
    editable install), else ``translations/`` of a checkout that was never installed."""
    spec = importlib.util.find_spec(TRANSLATIONS_PACKAGE)
    for location in (spec.submodule_search_locations or []) if spec else []:
        if Path(location).is_dir():
            return Path(location)
    return Path(__file__).resolve().parent.parent / "translations"


def default_instance_path() -> Path:
    """The instance folder of both the app and the CLI, chosen as Flask chooses for ``webapp``:
    ``instance/`` of the source checkout, ``<prefix>/var/webapp-instance`` when installed."""
    checkout = Path(__file__).resolve().parent.parent
    prefix = Path(sys.prefix).resolve()
    if checkout.is_relative_to(prefix) or checkout.name.lower() == "site-packages":
        return prefix / "var" / "webapp-instance"
    return checkout / "instance"


def _doc(meaning: str, readers: str, shown: str | None = None) -> dict[str, Any]:
    """A field's one-line meaning, who reads it, and (for paths) its default as documented."""
    return {"doc": meaning, "readers": readers, "shown": shown}


@dataclass(frozen=True)
class Settings:
    """Every ``KB_*`` key, typed; ``resolve_settings`` makes one, checked."""

    KB_INDEX_DIR: Path = field(
        metadata=_doc("the index `indexer.py` builds and the app serves", "app, CLI", INDEX_SHOWN)
    )
    KB_CONTENT_DIR: tuple[Path, ...] = field(
        default=(BUNDLED_CONTENT,),
        metadata=_doc("article folders to index, `:`-separated", "app, CLI", "kb/articles"),
    )
    KB_GLOSSARY: Path | None = field(
        default=bundled_translations() / "glossary.tsv",
        metadata=_doc(
            "cross-language glossary analysed into each build; empty: none",
            "CLI",
            "translations/glossary.tsv",
        ),
    )
    KB_DEFAULT_LOCALE: str = field(
        default="ko",
        metadata=_doc("the locale when neither cookie nor `Accept-Language` decides", "app"),
    )
    KB_CORS_ORIGINS: tuple[str, ...] = field(
        default=(), metadata=_doc("origins allowed to call `/api` from a browser", "app")
    )
    KB_FRAME_ANCESTORS: tuple[str, ...] = field(
        default=(),
        metadata=_doc("sites allowed to show pages in a frame (CSP `frame-ancestors`)", "app"),
    )
    KB_PROXY_COUNT: int = field(
        default=0,
        metadata=_doc("reverse proxies whose `X-Forwarded-*` headers are trusted", "app"),
    )
    KB_PUBLIC_URL: str | None = field(
        default=None,
        metadata=_doc("the site's public origin, which every absolute URL starts with", "app"),
    )
    KB_TRUSTED_HOSTS: tuple[str, ...] = field(
        default=("127.0.0.1", "localhost"),
        metadata=_doc("host names the app answers for (`Host` header)", "app"),
    )
    KB_WARM_UP: bool = field(
        default=True,
        metadata=_doc("load the Korean model and index tables at start, before forking", "app"),
    )
    KB_EMBEDDING_MODEL: str = field(
        default=DEFAULT_ENCODER,
        metadata=_doc("the encoder of the passage vectors each build stores", "CLI"),
    )
    KB_SEMANTIC_WEIGHT: float | None = field(
        default=DEFAULTS.semantic_weight,
        metadata=_doc(
            "the share of meaning in hybrid ranking, 0 to 1 (none: the encoder's)", "app"
        ),
    )
    KB_SEMANTIC_WEIGHT_KO: float | None = field(
        default=DEFAULTS.semantic_weight_korean,
        metadata=_doc("the same for a query written in Hangul", "app"),
    )
    KB_TRANSLATOR_PAGES: bool = field(
        default=True,
        metadata=_doc("serve the read-only translator pages (`/<locale>/translations`)", "app"),
    )

    def check(self) -> None:
        """Fail at start, with the key's name, rather than on some later request."""
        if self.KB_DEFAULT_LOCALE not in LOCALES:
            raise ValueError(f"KB_DEFAULT_LOCALE must be one of {', '.join(LOCALES)}")
        for source in (*self.KB_CORS_ORIGINS, *self.KB_FRAME_ANCESTORS):
            if not CSP_SOURCE_RE.match(source):
                raise ValueError(f"bad origin in KB_CORS_ORIGINS/KB_FRAME_ANCESTORS: {source!r}")
        if self.KB_PROXY_COUNT < 0:
            raise ValueError("KB_PROXY_COUNT must be 0 or more")
        if not self.KB_CONTENT_DIR:
            raise ValueError("KB_CONTENT_DIR names no folder")
        if self.KB_PUBLIC_URL is not None:
            public_host(self.KB_PUBLIC_URL)
        if not self.KB_TRUSTED_HOSTS:
            raise ValueError("KB_TRUSTED_HOSTS names no host")
        if self.KB_EMBEDDING_MODEL not in ENCODER_CHOICES:
            raise ValueError(f"KB_EMBEDDING_MODEL must be one of {', '.join(ENCODER_CHOICES)}")
        chosen = self.KB_EMBEDDING_MODEL
        if chosen != NO_ENCODER and (problem := encoder(chosen).missing()):
            raise ValueError(f"KB_EMBEDDING_MODEL: {problem}")
        for key in ("KB_SEMANTIC_WEIGHT", "KB_SEMANTIC_WEIGHT_KO"):
            if getattr(self, key) is not None and not 0 <= getattr(self, key) <= 1:
                raise ValueError(f"{key} must be between 0 and 1")
        for host in self.KB_TRUSTED_HOSTS:
            if not HOST_RE.match(host):
                raise ValueError(f"bad host name in KB_TRUSTED_HOSTS: {host!r}")

    @functools.cached_property
    def search_params(self) -> SearchParams:
        """The search parameters this site's settings choose (the rest as shipped)."""
        return replace(
            DEFAULTS,
            semantic_weight=self.KB_SEMANTIC_WEIGHT,
            semantic_weight_korean=self.KB_SEMANTIC_WEIGHT_KO,
        )

    @property
    def public_origin(self) -> str | None:
        """KB_PUBLIC_URL without a trailing slash, ready to put a path after."""
        return self.KB_PUBLIC_URL.rstrip("/") if self.KB_PUBLIC_URL else None

    @property
    def answered_hosts(self) -> tuple[str, ...]:
        """KB_TRUSTED_HOSTS and the public URL's host: the ``Host`` values a request may carry."""
        public = (public_host(self.KB_PUBLIC_URL),) if self.KB_PUBLIC_URL else ()
        return (*self.KB_TRUSTED_HOSTS, *public)


def public_host(url: str) -> str:
    """The host of a public origin (``http(s)://host[:port]``, nothing after but ``/``);
    anything else is refused, since every absolute URL the app writes starts with it."""
    parts = urlsplit(url)
    host = f"[{parts.hostname}]" if parts.hostname and ":" in parts.hostname else parts.hostname
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number from 0 to 65535
        ok = host is not None and HOST_RE.match(host) is not None
    except ValueError:
        ok = False
    extra = parts.username is not None or parts.query or parts.fragment
    if not ok or parts.scheme not in ("http", "https") or parts.path not in ("", "/") or extra:
        raise ValueError(f"KB_PUBLIC_URL must be an origin (https://kb.example.org), not {url!r}")
    return str(host)


FIELDS: dict[str, Field[Any]] = {f.name: f for f in fields(Settings)}
KEYS = tuple(FIELDS)
HINTS = typing.get_type_hints(Settings)


def documented_default(key: str) -> str:
    """The default as README's table shows it, derived from the value where it is not a path."""
    shown = FIELDS[key].metadata["shown"]
    if shown is not None:
        return shown
    value = FIELDS[key].default
    if value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, tuple):
        return " ".join(map(str, value)) or "none"
    return str(value)


def resolve_settings(
    environ: Mapping[str, str], instance: Path, overrides: Mapping[str, Any] | None = None
) -> Settings:
    """Defaults → ``<instance>/config.py`` → ``KB_*`` in ``environ`` → ``overrides``, coerced
    and checked. A value of None (or ``""``, except for KB_GLOSSARY: off) leaves a key unset."""
    layers = (read_config_file(instance / CONFIG_FILE), environ, overrides or {})
    _refuse_unknown_keys(layers[0], layers[2])
    raw: dict[str, Any] = {"KB_INDEX_DIR": instance / "index"}
    for layer in layers:
        raw.update((key, layer[key]) for key in KEYS if _is_set(key, layer.get(key)))
    values = {}
    for key, value in raw.items():
        try:
            values[key] = _coerce(HINTS[key], value)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{key}: {exc}") from None
    settings = Settings(**values)
    settings.check()
    return settings


def read_config_file(path: Path) -> dict[str, Any]:
    """The UPPERCASE names a Python config file assigns, as Flask's ``from_pyfile`` reads them;
    nothing when there is no file."""
    if not path.is_file():
        return {}
    namespace: dict[str, Any] = {"__file__": str(path)}
    exec(compile(path.read_bytes(), str(path), "exec"), namespace)
    return {name: value for name, value in namespace.items() if name.isupper()}


def _refuse_unknown_keys(*layers: Mapping[str, Any]) -> None:
    """A misspelt key in a file or in code is an error (the environment may hold others')."""
    for layer in layers:
        unknown = sorted(k for k in layer if k.startswith(PREFIX) and k not in FIELDS)
        if unknown:
            raise ValueError(f"unknown setting {', '.join(unknown)}; known: {', '.join(KEYS)}")


def _is_set(key: str, value: Any) -> bool:
    if value is None:
        return False
    return value != "" or type(None) in typing.get_args(HINTS[key])


def _coerce(kind: Any, value: Any) -> Any:
    """Strings from the environment (or values from a config file) into the field's type."""
    if value == "" and type(None) in typing.get_args(kind):
        return None
    if kind == tuple[Path, ...]:
        items = str(value).split(os.pathsep) if isinstance(value, str | Path) else value
        return tuple(Path(item) for item in items if item)
    if kind == tuple[str, ...]:
        items = value.replace(",", " ").split() if isinstance(value, str) else value
        return tuple(str(item) for item in items)
    if kind is bool:
        return _boolean(value)
    if kind is int:
        return _integer(value)
    if kind is float or kind == float | None:
        return _number(value)
    if kind is Path or Path in typing.get_args(kind):
        return Path(value)
    return str(value)


def _boolean(value: Any) -> bool:
    """``true/false``, ``yes/no``, ``on/off``, ``1/0`` (any case), or a real bool."""
    if isinstance(value, bool):
        return value
    words = {"1": True, "true": True, "yes": True, "on": True}
    words.update({"0": False, "false": False, "no": False, "off": False})
    try:
        return words[str(value).strip().lower()]
    except KeyError:
        raise ValueError(f"expected true or false, not {value!r}") from None


def _number(value: Any) -> float:
    """A number, from an int, a float or its text (not a bool)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        raise ValueError(f"expected a number, not {value!r}") from None


def _integer(value: Any) -> int:
    """A whole number, from an int or its digits (not a bool or a float)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        return int(value)
    raise ValueError(f"expected a whole number, not {value!r}")
