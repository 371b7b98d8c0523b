"""One settings registry (kb.settings) for the app and the CLI, held against README's table."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from flask import Flask

import indexer
from indexer import cli
from kb import settings as registry
from kb.settings import KEYS, Settings, documented_default, resolve_settings
from tests.conftest import article_text, write_article
from webapp import settings_of
from webapp.i18n import TRANSLATIONS_DIR

PROJECT = Path(__file__).resolve().parent.parent
TABLE_HEADER = "| key | default | read by | meaning |"


def readme_table() -> dict[str, tuple[str, str]]:
    """README's settings table as ``{key: (default, read by)}``, backticks dropped."""
    lines = (PROJECT / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index(TABLE_HEADER) + 2
    rows = {}
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        key, default, readers, _meaning = (
            c.strip().replace("`", "") for c in line[1:-1].split("|")[:4]
        )
        rows[key] = (default, readers)
    return rows


def shown(value: Any, instance: Path) -> str:
    """A resolved default written the way README writes it."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, tuple):
        return " ".join(shown(item, instance) for item in value) or "none"
    if isinstance(value, Path) and value.is_relative_to(instance):
        return f"<instance>/{value.relative_to(instance).as_posix()}"
    if isinstance(value, Path):
        return value.relative_to(PROJECT).as_posix()
    return "none" if value is None else str(value)


@pytest.fixture
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty instance folder for both app and CLI, and no KB_* from the outer environment."""
    folder = tmp_path / "instance"
    folder.mkdir()
    monkeypatch.setattr(registry, "default_instance_path", lambda: folder)
    for key in [k for k in os.environ if k.startswith("KB_")]:
        monkeypatch.delenv(key)
    return folder


# -- the documentation ------------------------------------------------------------------------


def test_readme_has_one_settings_table_listing_every_key_with_its_real_default(tmp_path):
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    assert readme.count("| key |") == 1
    table = readme_table()
    assert list(table) == list(KEYS)
    defaults = resolve_settings({}, tmp_path)
    for key, (default, readers) in table.items():
        assert default == shown(getattr(defaults, key), tmp_path), key
        assert default == documented_default(key), key  # what `indexer.py --help` says
        assert readers == registry.FIELDS[key].metadata["readers"], key
    assert set(re.findall(r"\bKB_[A-Z_]+\b", readme)) == set(KEYS)  # no stale names elsewhere


# -- layers and types -------------------------------------------------------------------------


def test_layers_defaults_then_config_file_then_environ_then_overrides(tmp_path):
    (tmp_path / "config.py").write_text(
        'KB_DEFAULT_LOCALE = "en"\nKB_PROXY_COUNT = 1\nKB_CORS_ORIGINS = ["https://file.example"]\n'
        'KB_FRAME_ANCESTORS = ["https://file.example"]\nlowercase = "ignored"\n'
    )
    environ = {"KB_PROXY_COUNT": "2", "KB_CORS_ORIGINS": "https://env.example", "HOME": "/x"}
    overrides = {"KB_CORS_ORIGINS": ["https://code.example"], "TESTING": True}
    assert resolve_settings(environ, tmp_path, overrides) == Settings(
        KB_INDEX_DIR=tmp_path / "index",  # default
        KB_DEFAULT_LOCALE="en",  # file over default
        KB_FRAME_ANCESTORS=("https://file.example",),
        KB_PROXY_COUNT=2,  # environ over file
        KB_CORS_ORIGINS=("https://code.example",),  # overrides over all
    )
    # None (or an empty variable) leaves a key to the layers below
    below = resolve_settings({"KB_PROXY_COUNT": ""}, tmp_path, {"KB_DEFAULT_LOCALE": None})
    assert (below.KB_DEFAULT_LOCALE, below.KB_PROXY_COUNT) == ("en", 1)


def test_environment_strings_become_typed_values(tmp_path):
    environ = {
        "KB_CONTENT_DIR": os.pathsep.join(["/a", "b", ""]),
        "KB_CORS_ORIGINS": "https://a.example, https://b.example",
        "KB_PROXY_COUNT": "3",
        "KB_WARM_UP": "Off",
        "KB_INDEX_DIR": "/srv/index",
    }
    assert resolve_settings(environ, tmp_path) == Settings(
        KB_CONTENT_DIR=(Path("/a"), Path("b")),
        KB_CORS_ORIGINS=("https://a.example", "https://b.example"),
        KB_PROXY_COUNT=3,
        KB_WARM_UP=False,
        KB_INDEX_DIR=Path("/srv/index"),
    )


def test_public_url_and_trusted_hosts(tmp_path):
    defaults = resolve_settings({}, tmp_path)
    assert defaults.KB_PUBLIC_URL is None and defaults.public_origin is None
    assert defaults.answered_hosts == ("127.0.0.1", "localhost")  # what `make run` serves
    environ = {"KB_PUBLIC_URL": "https://KB.example.org/", "KB_TRUSTED_HOSTS": "10.0.0.5, [::1]"}
    settings = resolve_settings(environ, tmp_path)
    assert settings.public_origin == "https://KB.example.org"
    assert settings.answered_hosts == ("10.0.0.5", "[::1]", "kb.example.org")


def test_the_glossary_is_the_bundled_one_unless_named_or_turned_off(tmp_path):
    bundled = resolve_settings({}, tmp_path).KB_GLOSSARY
    assert bundled == PROJECT / "translations" / "glossary.tsv" and bundled.is_file()
    assert resolve_settings({"KB_GLOSSARY": ""}, tmp_path).KB_GLOSSARY is None
    named = resolve_settings({}, tmp_path, {"KB_GLOSSARY": "/g.tsv"}).KB_GLOSSARY
    assert named == Path("/g.tsv")


@pytest.mark.parametrize(
    ("layer", "key", "value"),
    [
        ("environ", "KB_PROXY_COUNT", "two"),
        ("environ", "KB_WARM_UP", "maybe"),
        ("environ", "KB_DEFAULT_LOCALE", "fr"),
        ("environ", "KB_CORS_ORIGINS", "https://a.example;evil"),
        ("overrides", "KB_PROXY_COUNT", True),
        ("overrides", "KB_PROXY_COUNT", -1),
        ("overrides", "KB_CONTENT_DIR", []),
        ("overrides", "KB_WARMUP", "off"),  # misspelt
        ("file", "KB_PROXY_COUNT", 1.5),
        ("environ", "KB_PUBLIC_URL", "https://kb.example.org/kb"),  # an origin, no path
        ("environ", "KB_PUBLIC_URL", "javascript://kb.example.org"),
        ("environ", "KB_PUBLIC_URL", "https://user@kb.example.org"),
        ("environ", "KB_PUBLIC_URL", "https://kb.example.org:99999"),
        ("environ", "KB_TRUSTED_HOSTS", "kb.example.org/path"),
        ("file", "KB_TRUSTED_HOSTS", []),  # none would mean any
    ],
)
def test_a_bad_value_is_refused_with_the_key_named(tmp_path, layer, key, value):
    if layer == "file":
        (tmp_path / "config.py").write_text(f"{key} = {value!r}\n")
    layers = {"environ": {}, "overrides": {}, "file": {}}
    layers[layer] = {key: value}
    with pytest.raises(ValueError, match=key):
        resolve_settings(layers["environ"], tmp_path, layers["overrides"])


# -- the app ----------------------------------------------------------------------------------


def test_the_app_keeps_the_typed_settings_in_its_extensions(make_app, instance):
    (instance / "config.py").write_text('SECRET_KEY = "from-file"\nKB_PROXY_COUNT = "1"\n')
    app = make_app(KB_CORS_ORIGINS="https://a.example")
    settings = app.extensions["kb_settings"]
    assert isinstance(settings, Settings) and settings is settings_of(app)
    assert settings.KB_PROXY_COUNT == 1
    assert settings.KB_CORS_ORIGINS == ("https://a.example",)
    assert not [key for key in app.config if key.startswith("KB_")]  # one place to read them
    assert app.config["TESTING"] is True and app.config["SECRET_KEY"] == "from-file"


def test_app_and_cli_use_the_instance_folder_flask_picks_for_this_checkout(make_app):
    app = make_app(KB_INDEX_DIR=None)
    flask_choice = Path(Flask("webapp").auto_find_instance_path())
    assert Path(app.instance_path) == registry.default_instance_path() == flask_choice
    assert settings_of(app).KB_INDEX_DIR == indexer.resolve().KB_INDEX_DIR == flask_choice / "index"


# -- the command line -------------------------------------------------------------------------


def test_the_cli_builds_where_the_app_looks_by_default(make_app, instance, content_dir):
    write_article(content_dir, "only", "en", article_text("Lonely article", "Body."))
    built = CliRunner().invoke(cli, ["build"], env={"KB_CONTENT_DIR": str(content_dir)})
    assert built.exit_code == 0, built.output
    client = make_app(KB_INDEX_DIR=None).test_client()
    results = client.get("/api/search?q=lonely&lang=en").get_json()["results"]
    assert [result["slug"] for result in results] == ["only"]


def test_the_cli_reads_index_content_and_glossary_from_the_environment(
    instance, content_dir, tmp_path
):
    write_article(content_dir, "only", "en", article_text("Lonely article", "Body."))
    glossary = tmp_path / "glossary.tsv"
    glossary.write_text("ko\ten\n고독\tlonely\n", encoding="utf-8")
    runner = CliRunner()

    def run(*args: str, index: str, glossary: str = "") -> Result:
        env = {"KB_CONTENT_DIR": str(content_dir), "KB_INDEX_DIR": index, "KB_GLOSSARY": glossary}
        return runner.invoke(cli, list(args), env=env)

    with_glossary, without = str(tmp_path / "with"), str(tmp_path / "without")
    assert run("build", index=with_glossary, glossary=str(glossary)).exit_code == 0
    assert run("build", index=without).exit_code == 0
    assert not (instance / "index").exists()
    assert "Lonely article" in run("search", "고독", "--lang", "ko", index=with_glossary).output
    words_only = run("search", "고독", "--lang", "ko", "--mode", "lexical", index=without)
    assert "0 result(s)" in words_only.output
    # an option beats the environment
    elsewhere = run("search", "lonely", "--index", str(tmp_path / "none"), index=with_glossary)
    assert elsewhere.exit_code == 1 and "none" in elsewhere.output


def test_the_cli_checks_the_glossary_the_environment_names(instance, content_dir, tmp_path):
    write_article(content_dir, "only", "en", article_text("Lonely article", "Body."))
    bad = tmp_path / "bad.tsv"
    bad.write_text("ko\ten\n고독\n", encoding="utf-8")
    runner = CliRunner()
    env = {"KB_CONTENT_DIR": str(content_dir)}
    failed = runner.invoke(cli, ["check"], env=env | {"KB_GLOSSARY": str(bad)})
    assert failed.exit_code == 1 and f"{bad}:2:" in failed.output
    assert runner.invoke(cli, ["check"], env=env | {"KB_GLOSSARY": ""}).exit_code == 0
    missing = runner.invoke(cli, ["check"], env=env | {"KB_GLOSSARY": str(tmp_path / "no.tsv")})
    assert missing.exit_code == 2 and "KB_GLOSSARY: no such file" in missing.output


def test_a_bad_setting_stops_the_cli_with_the_key_named(instance):
    result = CliRunner().invoke(cli, ["check"], env={"KB_PROXY_COUNT": "two"})
    assert result.exit_code == 2 and "KB_PROXY_COUNT" in result.output


# -- packaging --------------------------------------------------------------------------------


def test_the_wheel_lists_every_package_and_the_translations():
    config = tomllib.loads((PROJECT / "pyproject.toml").read_text())["tool"]["setuptools"]
    on_disk = {
        ".".join(folder.relative_to(PROJECT).parts)
        for top in ("kb", "webapp")
        for folder in [PROJECT / top, *(PROJECT / top).rglob("*")]
        if folder.is_dir() and any(folder.glob("*.py"))
    }
    assert set(config["packages"]) == {*on_disk, "kb_translations"}
    translations = PROJECT / config["package-dir"]["kb_translations"]
    packaged = {
        path
        for pattern in config["package-data"]["kb_translations"]
        for path in translations.glob(pattern)
    }
    assert translations / "glossary.tsv" in packaged
    assert set(translations.glob("*/LC_MESSAGES/messages.po")) <= packaged
    assert {"ko", "en"} <= {p.parent.parent.name for p in packaged if p.suffix == ".po"}


def test_catalogs_and_glossary_are_found_where_they_are_packaged():
    folder = registry.bundled_translations()
    assert folder == TRANSLATIONS_DIR
    assert (folder / "ko" / "LC_MESSAGES" / "messages.po").is_file()
    assert Settings.__dataclass_fields__["KB_GLOSSARY"].default == folder / "glossary.tsv"


def test_settings_layers_instance_file_then_env_then_test_config(make_app, tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text(
        'KB_DEFAULT_LOCALE = "en"\nKB_CORS_ORIGINS = ["https://from-file.example"]\n'
    )
    monkeypatch.setattr("kb.settings.default_instance_path", lambda: instance)
    monkeypatch.setenv("KB_CORS_ORIGINS", "https://from-env.example")
    app = make_app(KB_FRAME_ANCESTORS=["https://from-test.example"])
    settings = settings_of(app)
    assert settings.KB_DEFAULT_LOCALE == "en"
    assert settings.KB_CORS_ORIGINS == ("https://from-env.example",)
    assert settings.KB_FRAME_ANCESTORS == ("https://from-test.example",)
    assert app.test_client().get("/").headers["Location"] == "/en/"


def test_index_defaults_to_the_instance_folder(make_app, tmp_path, monkeypatch):
    monkeypatch.setattr("kb.settings.default_instance_path", lambda: tmp_path)
    app = make_app(KB_INDEX_DIR=None)
    index_dir = settings_of(app).KB_INDEX_DIR
    assert index_dir == Path(tmp_path) / "index"


@pytest.mark.parametrize(
    "config",
    [
        {"KB_DEFAULT_LOCALE": "fr"},
        {"KB_CORS_ORIGINS": "https://a.example;evil"},
        {"KB_PROXY_COUNT": "two"},
    ],
)
def test_bad_settings_stop_the_app_at_start(make_app, config):
    with pytest.raises(ValueError, match=next(iter(config))):
        make_app(**config)
