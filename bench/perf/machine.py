"""The machine the numbers come from, and how busy other processes kept it meanwhile.

Load is measured and reported, never waited for: a stage starts at once, and the report shows
the load at its start and end and the CPU share other processes took while it ran.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from importlib.metadata import PackageNotFoundError, version

from bench.perf.results import Context, Machine

PACKAGES = (
    "kiwipiepy",
    "kiwipiepy-model",
    "whoosh-reloaded",
    "tantivy",
    "flask",
    "gunicorn",
    "pyinstrument",
)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def describe() -> Machine:
    """CPU model, cores, memory, OS, Python and package versions."""
    cpuinfo = _cpuinfo()
    return {
        "cpu_model": cpuinfo.get("model name", platform.processor() or "?"),
        "cpu_mhz": cpuinfo.get("cpu MHz", "?"),
        "cache": cpuinfo.get("cache size", "?"),
        "cores": os.cpu_count() or 1,
        "memory": _free_g(),
        "kernel": platform.release(),
        "os": _os_release(),
        "python": sys.version.split()[0],
        "packages": {name: _version(name) for name in PACKAGES},
    }


def _cpuinfo() -> dict[str, str]:
    """The first processor's fields of /proc/cpuinfo."""
    fields: dict[str, str] = {}
    with open("/proc/cpuinfo", encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                break
            key, _, value = line.partition(":")
            fields[key.strip()] = value.strip()
    return fields


def _free_g() -> str:
    """The ``Mem:`` line of ``free -g`` (total, used, free, …, available in GiB)."""
    try:
        out = subprocess.run(["free", "-g"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "?"
    header, mem = out.splitlines()[0].split(), out.splitlines()[1].split()[1:]
    return ", ".join(f"{name} {value} GiB" for name, value in zip(header, mem, strict=False))


def _os_release() -> str:
    """PRETTY_NAME from /etc/os-release."""
    try:
        with open("/etc/os-release", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("PRETTY_NAME="):
                    return line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return platform.platform()


def _version(name: str) -> str:
    """An installed distribution's version, or ``-``."""
    try:
        return version(name)
    except PackageNotFoundError:
        return "-"


def load_average() -> float:
    """The 1-minute load average."""
    return round(os.getloadavg()[0], 2)


class CpuMeter:
    """CPU seconds other processes used while a stage ran (machine busy time minus ours)."""

    def __init__(self) -> None:
        """Start counting now."""
        self.load = load_average()
        self.wall = time.monotonic()
        self.busy = busy_seconds()
        self.own = own_seconds()

    def stop(self) -> Context:
        """Load at start and end, wall time, foreign CPU seconds and their share of the
        machine's capacity."""
        wall = time.monotonic() - self.wall
        foreign = max(0.0, (busy_seconds() - self.busy) - (own_seconds() - self.own))
        return {
            "load_at_start": self.load,
            "wall_s": round(wall, 1),
            "foreign_cpu_s": round(foreign, 1),
            "foreign_share": round(foreign / (wall * (os.cpu_count() or 1)), 3) if wall else 0,
            "load_at_end": load_average(),
        }


def busy_seconds() -> float:
    """Non-idle CPU seconds of the whole machine since boot (/proc/stat)."""
    with open("/proc/stat", encoding="utf-8") as handle:
        values = [int(v) for v in handle.readline().split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return (sum(values[:8]) - idle) / CLOCK_TICKS


def own_seconds() -> float:
    """CPU seconds of this process and of the children it has waited for."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system
