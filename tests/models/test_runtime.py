"""The runtime is the one owner of loaded models: each built once, on first use, thread-safely."""

import ast
import threading
import time
from pathlib import Path

import pytest

from shopgen.core.errors import ConfigError
from shopgen.core.settings import Settings
from shopgen.models.runtime import Runtime

SRC = Path(__file__).resolve().parents[2] / "src" / "shopgen"


def test_a_model_is_loaded_once_even_by_concurrent_first_calls(tmp_path):
    loads = []

    def slow_loader(name, runtime):
        loads.append(name)
        time.sleep(0.05)
        return object()

    rt = Runtime(Settings(data_dir=tmp_path), loaders={"intent": slow_loader})
    got = []
    threads = [threading.Thread(target=lambda: got.append(rt.intent())) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert loads == [None] and len({id(m) for m in got}) == 1
    assert rt.intent("other.npz") is not got[0] and loads == [None, "other.npz"]


def test_a_loader_may_ask_the_runtime_for_what_it_needs(tmp_path):
    """The ensemble sentiment model loads the linear one and an embedder through the runtime."""
    rt = Runtime(
        Settings(data_dir=tmp_path, embed_backend="fake"),
        loaders={"sentiment": lambda name, r: (name, r.sentiment("base") if name != "base" else None)},
    )
    blended = rt.sentiment("blend")
    assert blended == ("blend", ("base", None)) and blended[1] is rt.sentiment("base")


def test_the_default_sentiment_model_comes_from_the_settings(tmp_path):
    rt = Runtime(Settings(data_dir=tmp_path, sentiment_model="ensemble"), loaders={"sentiment": lambda n, r: n})
    assert rt.sentiment() == "ensemble" and rt.sentiment("linear") == "linear"


def test_an_unknown_kind_names_the_known_ones_and_provide_keeps_existing_loaders(tmp_path):
    rt = Runtime(Settings(data_dir=tmp_path), loaders={"intent": lambda n, r: "mine"})
    with pytest.raises(ConfigError, match="no loader for live-intent models.*known: intent"):
        rt.live_intent()
    rt.provide({"intent": lambda n, r: "theirs", "live-intent": lambda n, r: "live"})
    assert rt.intent() == "mine" and rt.live_intent() == "live"


def test_embedders_by_name_are_shared(tmp_path):
    rt = Runtime(Settings(data_dir=tmp_path, embed_backend="fake"))
    assert rt.embedder() is rt.embedder("fake") is rt.embedder()
    assert rt.embedder("e5").name == "e5" and rt.embedder("e5") is rt.embedder("e5")
    given = Runtime(Settings(data_dir=tmp_path, embed_backend="e5"), embedder=rt.embedder("fake"))
    assert given.embedder().name == "fake" and given.embedder("e5").name == "e5"  # a given one is not "e5"


def test_the_composition_root_gives_every_task_model_a_loader(tmp_path):
    from shopgen.server import build_runtime

    rt = build_runtime(Settings(data_dir=tmp_path, embed_backend="fake"))
    assert rt.intent().labels[0] == "chitchat" and "buy" in rt.live_intent().labels
    assert rt.sentiment().name == "linear" and rt.sentiment() is rt.sentiment("linear")


DOMAINS = ("assistant", "copywriting", "insight", "live")


@pytest.mark.parametrize("domain", DOMAINS)
def test_no_domain_code_builds_settings_or_caches_a_model_itself(domain):
    """Settings are passed in (only cli/ and the composition root build them), and loaded models
    belong to the runtime: no module-level ``_CACHE`` / ``_default`` model holders in domains."""
    for path in sorted((SRC / domain).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = [
            n.lineno
            for n in ast.walk(tree)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "Settings"
        ]
        assert not calls, f"{path.relative_to(SRC)} builds Settings() on line(s) {calls}"
        holders = [
            t.id
            for n in tree.body
            if isinstance(n, (ast.Assign, ast.AnnAssign))
            for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
            if isinstance(t, ast.Name) and t.id in ("_CACHE", "_DEFAULT", "_default", "_MODEL")
        ]
        assert not holders or path.name == "parallel.py", f"{path.relative_to(SRC)} holds models in {holders}"
