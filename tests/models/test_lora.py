"""LoRA adapters as llama.cpp reads them: names, the GGUF writer, SHOPGEN_LLM_LORA resolution, the
base-model check, and llama.cpp really loading an adapter (and refusing one that does not fit)."""

import numpy as np
import pytest

from shopgen.core.errors import ConfigError, InvalidInput
from shopgen.core.settings import Settings
from shopgen.models import sources
from shopgen.models.llm import lora


def test_peft_keys_map_to_llama_cpp_names():
    key = "base_model.model.model.layers.23.self_attn.q_proj.lora_A.default.weight"
    assert lora.gguf_name(key) == "blk.23.attn_q.weight.lora_a"
    assert lora.gguf_name(key.replace("self_attn.q_proj", "mlp.down_proj").replace("lora_A", "lora_B")) == (
        "blk.23.ffn_down.weight.lora_b"
    )
    assert lora.gguf_name("base_model.model.model.layers.3.input_layernorm.weight") is None


def test_the_writer_round_trips_metadata_and_refuses_unpaired_tensors(tmp_path):
    a, b = np.ones((4, 8), np.float32), np.zeros((6, 4), np.float32)
    path = lora.write_gguf(
        tmp_path / "a.gguf",
        {"blk.0.attn_q.weight.lora_a": a, "blk.0.attn_q.weight.lora_b": b},
        alpha=16,
        base_model="qwen2.5-coder-0.5b",
    )
    meta = lora.check(path, "qwen2.5-coder-0.5b")
    assert meta == {"type": "adapter", "arch": "qwen2", "alpha": 16.0, "base_model": "qwen2.5-coder-0.5b", "tensors": 2}
    assert not list(tmp_path.glob("*.tmp"))
    with pytest.raises(ConfigError, match="trained for qwen2.5-coder-0.5b, not qwen2.5-coder-1.5b"):
        lora.check(path, "qwen2.5-coder-1.5b")
    with pytest.raises(InvalidInput, match="lora_a and a lora_b"):
        lora.write_gguf(tmp_path / "b.gguf", {"blk.0.attn_q.weight.lora_a": a}, alpha=16, base_model="x")
    (tmp_path / "junk.gguf").write_bytes(b"not a gguf file at all")
    with pytest.raises(ConfigError, match="not a GGUF file"):
        lora.check(tmp_path / "junk.gguf", "x")


def test_shopgen_llm_lora_names_an_adapter_or_a_path(tmp_path):
    assert lora.resolve(Settings(data_dir=tmp_path)) is None
    with pytest.raises(ConfigError, match="no adapter at .*adapters/house/adapter.gguf"):
        lora.resolve(Settings(data_dir=tmp_path, llm_lora="house"))
    folder = lora.adapter_dir(tmp_path, "house")
    folder.mkdir(parents=True)
    (folder / "adapter.gguf").write_bytes(b"x")
    assert lora.resolve(Settings(data_dir=tmp_path, llm_lora="house")) == folder / "adapter.gguf"
    assert lora.resolve(Settings(data_dir=tmp_path, llm_lora=str(folder / "adapter.gguf"))) == folder / "adapter.gguf"
    with pytest.raises(ConfigError, match="neither an adapter name"):
        lora.resolve(Settings(data_dir=tmp_path, llm_lora="../etc/passwd"))
    with pytest.raises(InvalidInput, match="adapter name"):
        lora.adapter_dir(tmp_path, "a/b")


def _shapes(gguf_path, layer: int) -> dict[str, tuple[int, int]]:
    import gguf

    reader = gguf.GGUFReader(str(gguf_path))
    out = {}
    for t in reader.tensors:
        if (
            t.name.startswith(f"blk.{layer}.")
            and t.name.endswith(".weight")
            and t.name.split(".")[2] in ("attn_q", "attn_v", "ffn_down")
        ):
            ne = [int(x) for x in t.shape]  # ggml order: ne[0] = input size
            out[t.name] = (ne[1], ne[0])  # (out, in)
    return out


@pytest.mark.llm
def test_llama_cpp_applies_an_adapter_and_refuses_one_that_does_not_fit(real_runtime, tmp_path):
    from shopgen.models.llm.llamacpp import LlamaCppGenerator

    settings = real_runtime.settings
    base = sources.resolve_model(settings)
    top = 27  # the 1.5B preset's last layer
    rng = np.random.default_rng(0)
    tensors = {}
    for name, (out_dim, in_dim) in _shapes(base, top).items():
        tensors[f"{name}.lora_a"] = rng.normal(0, 0.5, (8, in_dim)).astype(np.float32)
        tensors[f"{name}.lora_b"] = rng.normal(0, 0.5, (out_dim, 8)).astype(np.float32)
    assert len(tensors) == 6
    folder = lora.adapter_dir(settings.data_dir, "noise")
    folder.mkdir(parents=True, exist_ok=True)
    lora.write_gguf(folder / "adapter.gguf", tensors, alpha=64, base_model=settings.llm_preset)
    msgs = [{"role": "user", "content": "用一句话介绍纯棉T恤。"}]
    plain = real_runtime.llm().chat(msgs, max_tokens=16, temperature=0.0).text
    tuned = LlamaCppGenerator(settings.model_copy(update={"llm_lora": "noise"}))
    assert tuned.model == f"{settings.llm_preset}+noise"
    assert tuned.chat(msgs, max_tokens=16, temperature=0.0).text != plain  # the adapter changes the output
    del tuned

    wrong = {k: v[:, :-1] if k.endswith("lora_a") else v for k, v in tensors.items()}  # input size one short
    lora.write_gguf(folder / "adapter.gguf", wrong, alpha=64, base_model=settings.llm_preset)
    with pytest.raises(ConfigError, match=r"does not fit the base model: blk.27.attn_q.weight is 1536×1536"):
        LlamaCppGenerator(settings.model_copy(update={"llm_lora": "noise"})).chat(msgs, max_tokens=4)
