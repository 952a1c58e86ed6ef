"""A real LoRA run on the 0.5B preset (transformers + peft on the CPU): a run killed half-way resumes
from its last checkpoint, the held-out loss falls, and llama.cpp serves the exported adapter."""

import importlib.util
import json
import re

import pytest

from shopgen.models import sources
from shopgen.models.llm import lora
from tests.conftest import need
from tests.shared_data import shared_path

pytestmark = [pytest.mark.llm, pytest.mark.slow]


class Crash(Exception):
    pass


@pytest.fixture(scope="module")
def settings(real_settings):
    ok = all(importlib.util.find_spec(m) for m in ("torch", "transformers", "peft", "gguf"))
    need("tune", ok, "torch, transformers, peft and gguf are not installed (pip install 'shopgen[tune]')")
    s = real_settings.model_copy(update={"llm_preset": "qwen2.5-coder-0.5b"})
    sources.resolve_model(s)
    return s


def _pairs(n):
    with shared_path("advertisegen/train.jsonl").open(encoding="utf-8") as f:
        rows = [json.loads(next(f)) for _ in range(n)]
    return [(r["content"], r["summary"]) for r in rows]


@pytest.mark.timeout(1800)  # two loads of the dequantised base (about a minute each on 2 quiet cores)
def test_a_killed_run_resumes_and_llama_cpp_serves_the_adapter(settings, tmp_path):
    from shopgen.models.llm.llamacpp import LlamaCppGenerator
    from shopgen.tune.data import prepare
    from shopgen.tune.train import TuneConfig, Tuner

    data = prepare(_pairs(60), max_examples=16)
    out = lora.adapter_dir(settings.data_dir, "house")
    config = TuneConfig(top_layers=1, epochs=2, lr=1e-3, checkpoint_every=1)
    gguf = sources.resolve_model(settings)

    def crash_at_8(stage, done, total, info):
        if stage == "train" and info["epoch"] == 1 and done == 8:
            raise Crash

    with pytest.raises(Crash):
        Tuner(gguf, settings.llm_preset, out, config, crash_at_8).run(data)
    assert (out / "checkpoint" / "state.pt").exists() and not (out / "adapter.gguf").exists()

    seen = []
    report = Tuner(gguf, settings.llm_preset, out, config, lambda *a: seen.append(a)).run(data)
    assert ("resume", 8, 0, {"epoch": 1}) in seen  # continued after the 8 examples done before the crash
    assert [h["epoch"] for h in report["history"]] == [1, 2] or report["stopped_early"]
    assert report["held_out_loss_best"] < report["held_out_loss_before"]
    assert report["layers"]["adapted"] == [23] and report["data"]["train"] == 16
    assert lora.metadata(out / "adapter.gguf")["tensors"] == 14  # 7 projections × (a, b), one layer
    assert not (out / "cache").exists()  # the activation cache goes once the adapter is written

    llm = LlamaCppGenerator(settings.model_copy(update={"llm_lora": "house"}))
    text = llm.chat(
        [{"role": "user", "content": "商品信息：\n- 类型：上衣\n- 颜色：白色\n\n请写文案："}], max_tokens=40
    ).text
    assert re.search(r"[\u4e00-\u9fff]", text) and llm.model == "qwen2.5-coder-0.5b+house"
