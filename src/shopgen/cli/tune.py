"""``shopgen tune``: a LoRA adapter for the embedded model from copy pairs or the shop's approved drafts."""

from __future__ import annotations

import sys
import time

import click

from shopgen.cli.common import Context, emit, json_option, pass_ctx
from shopgen.core.errors import InvalidInput


def _progress(stage: str, done: int, total: int, info: dict) -> None:
    if not sys.stderr.isatty() and done != total and done % 25:
        return
    if stage == "resume":
        click.echo(f"resuming at epoch {info['epoch']}, example {done}", err=True)
        return
    extra = f" loss {info['loss']:.3f}" if "loss" in info else ""
    what = f"epoch {info['epoch']}" if stage == "train" else f"lower layers ({info.get('split', '')})"
    click.echo(f"\r{what}: {done}/{total}{extra}   ", nl=done == total, err=True)


@click.command("tune")
@click.option("--data", type=click.Path(dir_okay=False), default=None, help='JSONL {"content", "summary"} pairs.')
@click.option("--from-drafts", is_flag=True, help="Train on the shop's approved drafts (its house style).")
@click.option("--kind", default="description", show_default=True)
@click.option("--base", default=None, help="Model preset to adapt (default: SHOPGEN_LLM_PRESET).")
@click.option("--out", "name", default=None, help="Adapter name (default: <kind>-<date>).")
@click.option("--top-layers", type=click.IntRange(1, 64), default=2, show_default=True)
@click.option("--rank", type=click.IntRange(1, 64), default=8, show_default=True)
@click.option("--epochs", type=click.IntRange(1, 20), default=2, show_default=True)
@click.option("--lr", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=5e-4, show_default=True)
@click.option("--max-examples", type=click.IntRange(1), default=400, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--resume/--fresh", default=True, show_default=True, help="Continue a killed run of the same name.")
@json_option
@pass_ctx
def tune_cmd(
    ctx: Context, data, from_drafts, kind, base, name, top_layers, rank, epochs, lr, max_examples, seed, resume, as_json
) -> None:
    """Train a LoRA adapter (transformers + peft, CPU) and export it to GGUF for llama.cpp.

    Serve it with SHOPGEN_LLM_LORA=<name>. Needs `pip install 'shopgen[tune]'` (and the CPU build of torch).
    """
    from shopgen.copywriting.prompts import check_kind
    from shopgen.models import sources
    from shopgen.models.llm import lora
    from shopgen.tune import data as tdata

    if bool(data) == bool(from_drafts):
        raise InvalidInput("give --data FILE or --from-drafts")
    check_kind(kind)
    name = lora.check_name(name or f"{kind}-{time.strftime('%Y%m%d-%H%M')}")
    if data:
        pairs = tdata.from_pairs(data)
    else:
        with ctx.db.session() as s:
            pairs = tdata.from_drafts(s, kind)
    prepared = tdata.prepare(pairs, kind, seed=seed, max_examples=max_examples)
    settings = ctx.settings.model_copy(update={"llm_preset": base}) if base else ctx.settings
    if settings.llm_model_path:
        raise InvalidInput("tune adapts a preset; unset SHOPGEN_LLM_MODEL_PATH or pass --base PRESET")
    sources.get_preset(settings.llm_preset)
    from shopgen.tune.train import TuneConfig, Tuner

    config = TuneConfig(kind=kind, rank=rank, top_layers=top_layers, epochs=epochs, lr=lr, seed=seed)
    gguf = sources.resolve_model(settings)  # a clear error when the base is not available offline
    out = lora.adapter_dir(ctx.settings.data_dir, name)
    report = Tuner(gguf, settings.llm_preset, out, config, _progress).run(prepared, resume=resume)
    report["name"] = name
    emit(
        report,
        as_json,
        f"adapter {name}: {report['adapter']} ({report['adapter_bytes'] / 1e6:.1f} MB), "
        f"{report['data']['train']} examples, held-out loss {report['held_out_loss_before']:.3f} → "
        f"{report['held_out_loss_best']:.3f}, {report['seconds']['total']:.0f} s; "
        f"serve it with SHOPGEN_LLM_LORA={name}",
    )


def register(cli: click.Group) -> None:
    cli.add_command(tune_cmd)
