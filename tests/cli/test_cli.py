import json

import pytest

import shopgen
from tests.store.factories import tshirt

from .conftest import as_json


def test_version(cli):
    code, out, _ = cli("--version")
    assert code == 0 and out.strip() == f"shopgen, version {shopgen.__version__}"


@pytest.mark.parametrize(
    "args, message",
    [
        (["nope"], "error: No such command 'nope'."),
        (["catalog", "list", "--bogus"], "error: No such option '--bogus'."),
        (["catalog", "list", "--limit", "0"], "error: Invalid value for '--limit'"),
        (["catalog", "import", "/no/such/file.jsonl"], "error: /no/such/file.jsonl: no such file"),
        (["catalog", "show", "999"], "error: product 999 does not exist"),
        (["llm", "chat", "  "], "error: the prompt is empty"),
        (["models", "fetch", "gpt-9"], "error: unknown model preset 'gpt-9'"),
    ],
)
def test_bad_input_exits_2_with_one_line(cli, args, message):
    code, out, err = cli(*args)
    assert code == 2
    assert err.startswith(message)
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_catalog_import_list_show(cli, shop_env):
    path = shop_env / "c.jsonl"
    path.write_text(json.dumps(tshirt("CLI-1"), ensure_ascii=False) + "\n")
    code, out, _ = cli("catalog", "import", str(path), "--json")
    assert code == 0 and as_json(out) == {"created": 1, "updated": 0, "total": 1}
    code, out, _ = cli("catalog", "list", "--json")
    data = as_json(out)
    assert data["total"] == 1 and data["items"][0]["title"] == "纯棉圆领短袖T恤"
    code, out, _ = cli("catalog", "show", "CLI-1", "--json")
    assert as_json(out)["variants"][0]["sku"] == "CLI-1-WH-M"


def test_bad_row_is_named_and_nothing_written(cli, shop_env):
    path = shop_env / "c.jsonl"
    path.write_text(json.dumps(tshirt("OK-1")) + "\n" + json.dumps(tshirt("BAD-1", price="免费")) + "\n")
    code, out, err = cli("catalog", "import", str(path))
    assert code == 2
    assert err.startswith("error: c.jsonl line 2: price:") and err.strip().endswith("nothing was imported")
    code, out, err = cli("catalog", "import", str(path), "--json")
    assert code == 2 and as_json(out)["error"]["detail"][0]["line"] == 2
    assert as_json(cli("catalog", "list", "--json")[1])["total"] == 0


def test_llm_chat_json_with_fake(cli):
    code, out, _ = cli("llm", "chat", "用一句话介绍这款纯棉T恤", "--json")
    data = as_json(out)
    assert code == 0
    assert set(data) >= {"text", "model", "prompt_tokens", "completion_tokens", "seconds"}
    assert data["text"] == "回声：用一句话介绍这款纯棉T恤"


def test_embed_json_with_fake(cli):
    code, out, _ = cli("embed", "夏天穿的透气T恤", "不锈钢保温杯", "--json")
    data = as_json(out)
    assert code == 0 and data["dim"] == 64 and len(data["cosine"]) == 2 and data["cosine"][0][0] == 1.0


def test_doctor_reports_each_backend(cli):
    code, out, _ = cli("doctor", "--json")
    data = as_json(out)
    assert code == 0 and data["ok"] is True
    assert set(data["checks"]) == {"database", "llm", "embedder"}
    assert data["checks"]["llm"]["backend"] == "fake" and data["checks"]["llm"]["tokens"] > 0
    assert data["checks"]["embedder"]["dim"] == 64


def test_doctor_fails_when_a_backend_fails(cli, monkeypatch, shop_env):
    monkeypatch.setenv("SHOPGEN_LLM_BACKEND", "llamacpp")
    monkeypatch.setenv("SHOPGEN_LLM_MODEL_PATH", str(shop_env / "missing.gguf"))
    code, out, _ = cli("doctor", "--json")
    data = as_json(out)
    assert code == 1 and data["ok"] is False
    assert "not a file" in data["checks"]["llm"]["error"] and data["checks"]["database"]["ok"] is True


def test_demo_load_is_idempotent(cli):
    first = as_json(cli("demo", "load", "--json")[1])
    second = as_json(cli("demo", "load", "--json")[1])
    assert first == second and first["products"] >= 40
    assert as_json(cli("catalog", "list", "--limit", "1000", "--json")[1])["total"] == first["products"]


def test_models_list(cli):
    code, out, _ = cli("models", "list", "--json")
    rows = as_json(out)
    assert code == 0 and {r["preset"] for r in rows} == {"qwen2.5-coder-1.5b", "qwen2.5-coder-0.5b"}
    assert [r["preset"] for r in rows if r["default"]] == ["qwen2.5-coder-1.5b"]
