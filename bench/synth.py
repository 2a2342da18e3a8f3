"""Benchmark: synthetic SSDA903 returns for every English authority, five collection years.

Usage::

    .venv/bin/python bench/synth.py [--years 2020-21:2024-25] [--workers 2] [--out DIR]
                                    [--authorities E10000018 E09000028 ...] [--keep]

Prints wall-clock time, the CPU seconds of all processes, the load average of the machine when
the run started (other work on the machine slows the wall clock), rows and bytes written.
The postcode sample is built first if it is not cached yet (timed separately: a one-off cost).
Results are recorded in ``bench/README.md`` ("Synthetic generator").
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", default="2020-21:2024-25")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None, help="default: a temporary folder")
    parser.add_argument("--authorities", nargs="*", default=None, help="default: all")
    parser.add_argument("--keep", action="store_true", help="keep the output folder")
    args = parser.parse_args(argv)

    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    from reportgen.core.authorities import all_authorities
    from reportgen.indicators.published import published_values
    from reportgen.sources import synthetic
    from reportgen.sources.synthetic.postcodes import cache_file, load_bank
    from reportgen.sources.synthetic.targets import targets_for

    cache = synthetic.default_cache_dir()
    cold = not cache_file(cache).exists()
    load_bank(cache)
    t_bank = time.perf_counter() - t0
    codes = args.authorities or [a.gss for a in all_authorities()]
    out = args.out or Path(tempfile.mkdtemp(prefix="synth-bench-"))
    t1 = time.perf_counter()
    cpu1 = _cpu_seconds()
    done = synthetic.generate_many(
        codes, args.years, args.seed, out, published=published_values, workers=args.workers
    )
    wall = time.perf_counter() - t1
    cpu = _cpu_seconds() - cpu1
    years = synthetic.parse_years(args.years)
    cla = sum(targets_for(r.authority, published_values).count("cla", years[-1]) for r in done)
    rows = sum(sum(t.values()) for r in done for t in r.rows.values())
    episodes = sum(t.get("Episodes", 0) for r in done for t in r.rows.values())
    size = sum(p.stat().st_size for p in out.rglob("*.csv"))
    print(f"authorities        {len(done)}")
    print(
        f"years              {years[0] - 1}-{years[0] % 100:02d} to {years[-1] - 1}-{years[-1] % 100:02d}"
    )
    print(f"workers            {args.workers} (cores: {os.cpu_count()})")
    print(f"load average       {load:.2f} at the start")
    print(f"postcode sample    {t_bank:.1f} s ({'built' if cold else 'cached'}; imports included)")
    print(f"generate + write   {wall:.1f} s wall, {cpu:.1f} s CPU")
    print(f"children (31 Mar)  {cla:,.0f} looked after in the last year (published)")
    print(f"rows written       {rows:,} ({episodes:,} episodes), {size / 1e6:.0f} MB")
    if not args.keep and args.out is None:
        shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
