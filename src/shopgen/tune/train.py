"""The LoRA run: transformers + peft on the CPU, the embedded model's own weights.

What makes a useful run fit on 2 cores (measured in BENCHMARKS.md, "Fine-tuning"):

* **Only the top layers learn.** LoRA adapters go on the top ``top_layers`` decoder layers (all
  seven projections); everything below is frozen, so its output for an example never changes.
* **The lower layers run once.** Each example's hidden state entering the first adapted layer is
  computed once, without gradients, and cached on disk (half precision); every epoch then runs only
  the top layers, the final norm and the output projection, and only over the target's positions.
* **Short sequences.** The prompt is the copywriter's zero-shot prompt; targets are capped by the
  kind's length.

The base weights are the shipped GGUF, dequantised by transformers (``gguf_file=``), so the
adapter is trained against the model llama.cpp serves. Checkpoints (adapter, optimiser, position)
are written every ``checkpoint_every`` steps and at each epoch's end; running the same command
again resumes from the last one (the activation cache too). Early stopping: the held-out loss is
measured after each epoch; the best adapter is kept and training stops after ``patience`` epochs
without improvement. The result is exported to GGUF (:mod:`shopgen.models.llm.lora`).
"""

from __future__ import annotations

import json
import math
import resource
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from shopgen.core.errors import BackendError, InvalidInput
from shopgen.core.lazy import require
from shopgen.models.llm import lora
from shopgen.tune.data import Example, Prepared

TARGET_MODULES = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


@dataclass(frozen=True)
class TuneConfig:
    kind: str = "description"
    rank: int = 8
    alpha: float = 16.0
    top_layers: int = 2
    epochs: int = 2
    lr: float = 5e-4
    grad_accum: int = 4
    seed: int = 0
    patience: int = 1
    checkpoint_every: int = 25  # optimiser steps

    def check(self) -> TuneConfig:
        if not 1 <= self.rank <= 64:
            raise InvalidInput("rank must be between 1 and 64")
        if not 1 <= self.top_layers <= 64:
            raise InvalidInput("top_layers must be between 1 and 64")
        if not 1 <= self.epochs <= 20:
            raise InvalidInput("epochs must be between 1 and 20")
        if not 0 < self.lr < 1:
            raise InvalidInput("lr must be between 0 and 1")
        return self


def _progress_none(stage: str, done: int, total: int, info: dict) -> None:  # pragma: no cover - default
    return None


def load_base(gguf_path: Path):
    """``(tokenizer, model)`` from the GGUF file, dequantised to float32 (about a minute for the 0.5B)."""
    require("torch", "tune")
    transformers = require("transformers", "tune")
    require("gguf", "tune")
    import torch

    try:
        tok = transformers.AutoTokenizer.from_pretrained(str(gguf_path.parent), gguf_file=gguf_path.name)
        model = transformers.AutoModelForCausalLM.from_pretrained(
            str(gguf_path.parent), gguf_file=gguf_path.name, dtype=torch.float32, attn_implementation="sdpa"
        )
    except (ValueError, OSError, RuntimeError) as exc:
        raise BackendError(f"transformers could not load {gguf_path}: {exc}") from exc
    model.eval()
    return tok, model


def encode(tok, example: Example, kind: str) -> tuple[list[int], int]:
    """Token ids of prompt + target + end of turn, and the prompt's length."""
    prompt = tok.apply_chat_template(example.messages(kind), add_generation_prompt=True, tokenize=False)
    p_ids = tok(prompt, add_special_tokens=False)["input_ids"]
    t_ids = tok(example.target + "<|im_end|>", add_special_tokens=False)["input_ids"]
    return p_ids + t_ids, len(p_ids)


class Tuner:
    """One tuning run in ``out_dir`` (the adapter's folder): cache, checkpoints, adapter, report."""

    def __init__(
        self,
        gguf_path: Path,
        base_model: str,
        out_dir: Path,
        config: TuneConfig,
        progress: Callable[[str, int, int, dict], None] = _progress_none,
    ) -> None:
        self.gguf_path, self.base_model, self.out = Path(gguf_path), base_model, Path(out_dir)
        self.config, self.progress = config.check(), progress
        self.cache_dir = self.out / "cache"
        self.ckpt_dir = self.out / "checkpoint"

    # -- the steps -------------------------------------------------------------------------------
    def run(self, data: Prepared, *, resume: bool = True) -> dict:
        torch = require("torch", "tune")  # a clear "install shopgen[tune]" instead of an ImportError
        torch.manual_seed(self.config.seed)
        started = time.perf_counter()
        self.out.mkdir(parents=True, exist_ok=True)
        self._write_run_file(data, resume)
        t0 = time.perf_counter()
        tok, model = load_base(self.gguf_path)
        load_seconds = time.perf_counter() - t0
        layers = model.model.layers
        n_layers = len(layers)
        first = n_layers - min(self.config.top_layers, n_layers)
        encoded = {
            "train": [encode(tok, e, self.config.kind) for e in data.train],
            "held_out": [encode(tok, e, self.config.kind) for e in data.held_out],
        }
        t0 = time.perf_counter()
        hidden = {split: self._lower(model, split, items, first) for split, items in encoded.items()}
        cache_seconds = time.perf_counter() - t0

        peft = require("peft", "tune")
        cfg = peft.LoraConfig(
            r=self.config.rank,
            lora_alpha=self.config.alpha,
            target_modules=TARGET_MODULES,
            layers_to_transform=list(range(first, n_layers)),
            lora_dropout=0.0,
            bias="none",
        )
        pmodel = peft.get_peft_model(model, cfg)
        params = [p for p in pmodel.parameters() if p.requires_grad]
        opt = torch.optim.AdamW(params, lr=self.config.lr, weight_decay=0.0)
        state = self._load_checkpoint(pmodel, opt) if resume else None
        state = state or {"epoch": 0, "index": 0, "step": 0, "best": None, "bad_epochs": 0, "history": []}
        before = state.get("held_out_before")
        if before is None:
            before = self._held_out_loss(model, encoded["held_out"], hidden["held_out"], first)
            state["held_out_before"] = before

        n_train = len(encoded["train"])
        train_seconds, steps_run = 0.0, 0
        stopped_early = False
        while state["epoch"] < self.config.epochs:
            # each epoch's order depends only on the seed and the epoch: the same after a resume
            rng = torch.Generator().manual_seed(self.config.seed * 1000 + state["epoch"])
            order = torch.randperm(n_train, generator=rng).tolist()
            model.train()
            t_epoch = time.perf_counter()
            losses = []
            while state["index"] < n_train:
                batch = order[state["index"] : state["index"] + self.config.grad_accum]
                opt.zero_grad()
                total = 0.0
                for i in batch:
                    loss = self._loss(model, encoded["train"][i], hidden["train"][i], first) / len(batch)
                    loss.backward()
                    total += float(loss.detach())
                opt.step()
                losses.append(total)
                state["index"] += len(batch)
                state["step"] += 1
                steps_run += 1
                if state["step"] % self.config.checkpoint_every == 0:
                    self._save_checkpoint(pmodel, opt, state)
                self.progress("train", state["index"], n_train, {"epoch": state["epoch"] + 1, "loss": total})
            train_seconds += time.perf_counter() - t_epoch
            model.eval()
            held = self._held_out_loss(model, encoded["held_out"], hidden["held_out"], first)
            state["history"].append(
                {"epoch": state["epoch"] + 1, "train_loss": sum(losses) / max(1, len(losses)), "held_out_loss": held}
            )
            state["epoch"] += 1
            state["index"] = 0
            if state["best"] is None or held < state["best"]:
                state["best"], state["bad_epochs"] = held, 0
                self._save_best(pmodel)
            else:
                state["bad_epochs"] += 1
            self._save_checkpoint(pmodel, opt, state)
            if state["bad_epochs"] >= self.config.patience:
                stopped_early = state["epoch"] < self.config.epochs
                break

        adapter = self._export()
        import shutil

        shutil.rmtree(self.cache_dir, ignore_errors=True)  # tens of MB; only a killed run needs it
        report = {
            "adapter": str(adapter),
            "adapter_bytes": adapter.stat().st_size,
            "base_model": self.base_model,
            "config": asdict(self.config),
            "data": data.report(),
            "layers": {"total": n_layers, "adapted": list(range(first, n_layers))},
            "trainable_parameters": sum(p.numel() for p in params),
            "held_out_loss_before": before,
            "held_out_loss_best": state["best"],
            "history": state["history"],
            "stopped_early": stopped_early,
            "steps": state["step"],
            "seconds": {
                "load_base": load_seconds,
                "cache_lower_layers": cache_seconds,
                "train": train_seconds,
                "total": time.perf_counter() - started,
            },
            "seconds_per_step": train_seconds / steps_run if steps_run else None,
            "seconds_per_example": train_seconds / (steps_run * self.config.grad_accum) if steps_run else None,
            "peak_memory_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
        (self.out / lora.REPORT_FILE).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
        return report

    # -- pieces ----------------------------------------------------------------------------------
    def _write_run_file(self, data: Prepared, resume: bool) -> None:
        """The run's identity; resuming a different run (other data or settings) starts it afresh."""
        run = {"config": asdict(self.config), "base_model": self.base_model, "data": data.report()}
        path = self.out / "run.json"
        if path.exists() and (not resume or json.loads(path.read_text(encoding="utf-8")) != run):
            import shutil

            shutil.rmtree(self.cache_dir, ignore_errors=True)
            shutil.rmtree(self.ckpt_dir, ignore_errors=True)
        path.write_text(json.dumps(run, ensure_ascii=False), encoding="utf-8")

    def _lower(self, model, split: str, items: list[tuple[list[int], int]], first: int) -> list:
        """Hidden states entering layer ``first`` for each item, computed once and cached on disk."""
        import torch

        out = []
        folder = self.cache_dir / split
        folder.mkdir(parents=True, exist_ok=True)
        for n, (ids, _) in enumerate(items):
            path = folder / f"{n}.pt"
            if path.exists():
                out.append(torch.load(path))
            else:
                with torch.no_grad():
                    res = model.model(torch.tensor([ids]), output_hidden_states=True)
                h = res.hidden_states[first].to(torch.float16)
                torch.save(h, path.with_suffix(".tmp"))
                path.with_suffix(".tmp").replace(path)
                out.append(h)
            self.progress("cache", n + 1, len(items), {"split": split})
        return out

    def _top(self, model, hidden, first: int):
        import torch

        base = model.model
        h = hidden.to(torch.float32)
        pos = torch.arange(h.shape[1]).unsqueeze(0)
        pe = base.rotary_emb(h, pos)
        for layer in base.layers[first:]:
            res = layer(h, attention_mask=None, position_ids=pos, position_embeddings=pe)
            h = res[0] if isinstance(res, tuple) else res
        return base.norm(h)

    def _loss(self, model, item, hidden, first: int):
        import torch

        ids, p_len = item
        h = self._top(model, hidden, first)[:, p_len - 1 : len(ids) - 1]
        logits = model.lm_head(h).float()
        target = torch.tensor(ids[p_len:])
        return torch.nn.functional.cross_entropy(logits[0], target)

    def _held_out_loss(self, model, items, hidden, first: int) -> float:
        import torch

        with torch.no_grad():
            losses = [float(self._loss(model, it, h, first)) for it, h in zip(items, hidden, strict=True)]
        return sum(losses) / len(losses) if losses else math.nan

    def _lora_tensors(self, pmodel) -> dict:
        out = {}
        for key, value in pmodel.state_dict().items():
            name = lora.gguf_name(key) if "lora_" in key else None
            if name:
                out[name] = value.detach().float().numpy()
        return out

    def _save_best(self, pmodel) -> None:
        import torch

        tmp = self.out / "best.pt.tmp"
        torch.save(self._lora_tensors(pmodel), tmp)
        tmp.replace(self.out / "best.pt")

    def _save_checkpoint(self, pmodel, opt, state: dict) -> None:
        import torch

        self.ckpt_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.ckpt_dir / "state.pt.tmp"
        trainable = {k: v for k, v in pmodel.state_dict().items() if "lora_" in k}
        torch.save({"model": trainable, "optim": opt.state_dict(), "state": state}, tmp)
        tmp.replace(self.ckpt_dir / "state.pt")

    def _load_checkpoint(self, pmodel, opt) -> dict | None:
        import torch

        path = self.ckpt_dir / "state.pt"
        if not path.exists():
            return None
        saved = torch.load(path, weights_only=False)
        pmodel.load_state_dict(saved["model"], strict=False)
        opt.load_state_dict(saved["optim"])
        self.progress("resume", saved["state"]["index"], 0, {"epoch": saved["state"]["epoch"] + 1})
        return saved["state"]

    def _export(self) -> Path:
        import torch

        tensors = torch.load(self.out / "best.pt", weights_only=False)
        return lora.write_gguf(
            self.out / lora.ADAPTER_FILE, tensors, alpha=self.config.alpha, base_model=self.base_model
        )
