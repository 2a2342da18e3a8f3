"""Benchmark: the DfE's 903 rules on a Leicestershire-sized synthetic return, cold and cached.

Times, on one collection year (2024-25) with the previous year loaded (the cross-year rules run):

(a) the baseline: reportgen's own checks (``validate_return``) on the same year's return;
(b) a cold DfE run: the validator in its own environment (made first if missing, not timed),
    no cached result (``check._run_validator`` directly);
(c) a second ``run_rules`` on unchanged data (the cached result), after one run to fill it;
(d) the whole ``reportgen validate --year 2025 --previous ... --dfe-rules`` command, cached.

Prints wall and CPU seconds (CPU of this process and its children: steadier on a shared
machine) and each time as a ratio of the baseline. Run from the project root::

    .venv/bin/python bench/dfe_rules.py [--authority E10000018] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _time(action, repeat: int) -> tuple[float, float]:
    """Best wall and best CPU seconds of ``repeat`` calls."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), _cpu()
        action()
        walls.append(time.perf_counter() - wall)
        cpus.append(_cpu() - cpu)
    return min(walls), min(cpus)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--authority", default="E10000018")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from reportgen.indicators.published import published_values
    from reportgen.sources.dfe_rules import check, run_rules, validator_python
    from reportgen.sources.ssda903.validate import validate_return
    from reportgen.sources.synthetic import generate

    validator_python()  # make the environment first: not part of any timing
    with tempfile.TemporaryDirectory() as tmp:
        done = generate(
            args.authority, "2023-24:2024-25", seed=0, out=Path(tmp), published=published_values
        )
        this, previous = done.year_folders[2025], done.year_folders[2024]
        rows = sum(1 for _ in (this / "synthetic_episodes.csv").open()) - 1
        print(f"{args.authority} synthetic 2024-25: {rows:,} episode rows; load {os.getloadavg()}")
        base = _time(lambda: validate_return(this, 2025), args.repeat)
        cold = _time(lambda: check._run_validator(2025, args.authority, this, previous, True), 1)
        run_rules(this, 2025, args.authority, previous=previous)  # fill the cache
        cached = _time(
            lambda: run_rules(this, 2025, args.authority, previous=previous), args.repeat
        )
        command = [str(BIN / "reportgen"), "validate", str(this), "--year", "2025"]
        command += ["--previous", str(previous), "--dfe-rules", "--authority", args.authority]
        whole = _time(lambda: subprocess.run(command, capture_output=True, check=False), 3)
    print(f"{'step':<52} {'wall s':>8} {'CPU s':>8} {'x own checks':>13}")
    for label, (wall, cpu) in (
        ("(a) reportgen's own checks (the baseline)", base),
        ("(b) DfE rules, cold (validator run)", cold),
        ("(c) DfE rules, second run (cached result)", cached),
        ("(d) whole `reportgen validate --dfe-rules`, cached", whole),
    ):
        print(f"{label:<52} {wall:>8.2f} {cpu:>8.2f} {wall / base[0]:>13.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
