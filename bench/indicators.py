"""Benchmark: every 903 indicator for every authority in England, against plain ``read_csv``.

Not a test. Run ``.venv/bin/python bench/indicators.py`` (about two minutes the first time; the
generated returns are kept in ``$TMPDIR/reportgen-bench-903-england`` and reused).

1. Generate England-scale 903 returns (in a child process, so its memory does not count). The
   default (``--kind synthetic``): every English authority's five collection years (2020-21 to
   2024-25) from the project's synthetic generator (``generate_many``), which follow the rules,
   joined into one folder per year with CHILD ids made unique nationally; ``--kind numpy``: the
   older numpy draws (five tables, real postcode centroids, UASC, AD1 and OC3), which break some
   rules (validation then builds 77,907 messages). ``la.csv`` says whose each child is.
2. Time plain ``pandas.read_csv`` of the same CSVs (best of three).
3. Load the reference data once (postcode centroids, populations; reported, not counted).
4. Time the whole path once, step by step (wall and CPU): read each year's folder
   (``scan_return``), validate it (``validate_scan``, ``check_continuity``), combine the
   returns, prepare the arrays and compute every 903 indicator for every authority for 2024-25;
   then the four previous years a report's trends use.
5. Time one authority's five years end to end as a report does (``validate_input``,
   ``load_history``, ``compute``) on its synthetic returns (``reportgen synth``, made once).
6. Print the ratio whole path / read_csv (goal <= 3) and the peak memory (goal < 4 GB).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

YEARS = (2021, 2022, 2023, 2024, 2025)
SIM_START = np.datetime64("2006-04-01")
HISTORY_START = np.datetime64("2020-04-01")
LAST_DAY = np.datetime64("2025-03-31")
DEFAULT_DIRS = {
    "synthetic": Path(tempfile.gettempdir()) / "reportgen-bench-903-england",
    "numpy": Path(tempfile.gettempdir()) / "reportgen-bench-903",
}
DATA_VERSIONS = {"synthetic": "synthetic-1", "numpy": "2"}

PLACES = {
    "U1": 0.05, "U2": 0.01, "U3": 0.06, "U4": 0.27, "U5": 0.01, "U6": 0.30, "K2": 0.10,
    "K1": 0.005, "H5": 0.03, "K3": 0.02, "A5": 0.005, "A6": 0.02, "P1": 0.06, "R1": 0.01,
    "S1": 0.005, "Z1": 0.005, "T1": 0.005, "T4": 0.005,
}  # fmt: skip
RNE_LATER = {"P": 0.5, "L": 0.2, "T": 0.1, "B": 0.1, "U": 0.1}
LS = {"C2": 0.5, "C1": 0.18, "V2": 0.25, "E1": 0.04, "J1": 0.01, "L2": 0.02}
REC = {
    "E4A": 0.28, "E4B": 0.02, "E11": 0.09, "E12": 0.03, "E45": 0.05, "E46": 0.02, "E48": 0.02,
    "E8": 0.14, "E17": 0.05, "E13": 0.09, "E5": 0.05, "E6": 0.02, "E3": 0.03, "E41": 0.03,
    "E7": 0.01, "E2": 0.01, "E16": 0.01, "E15": 0.05,
}  # fmt: skip
ETHNIC = ["WBRI"] * 14 + ["WOTH", "MWBC", "MOTH", "AIND", "APKN", "BAFR", "BCRB", "OOTH", "NOBT"]
OC3_IN_TOUCH = {"YES": 0.85, "NO": 0.07, "REFU": 0.03, "NREQ": 0.03, "DIED": 0.01, "RHOM": 0.01}
OC3_ACTIV = {"F1": 0.05, "F2": 0.25, "P2": 0.03, "F4": 0.04, "F5": 0.12, "P5": 0.05,
             "G4": 0.1, "G5": 0.22, "G6": 0.06, "0": 0.08}  # fmt: skip
OC3_ACCOM = {"B1": 0.1, "C1": 0.08, "D1": 0.2, "E1": 0.05, "U1": 0.3, "Z1": 0.08, "S2": 0.02,
             "V2": 0.02, "T1": 0.05, "R1": 0.02, "0": 0.08}  # fmt: skip


def _choice(rng: np.random.Generator, options: dict[str, float], size: int) -> np.ndarray:
    keys = np.array(list(options), dtype=object)
    weights = np.array(list(options.values()), dtype=float)
    return keys[rng.choice(len(keys), size=size, p=weights / weights.sum())]


def _dates(days: np.ndarray) -> np.ndarray:
    """datetime64[D] -> dd/mm/YYYY strings (None for NaT)."""
    text = pd.Series(days.astype("datetime64[s]")).dt.strftime("%d/%m/%Y")
    return text.where(~np.isnat(days), None).to_numpy(dtype=object)


def _authorities() -> tuple[list[str], np.ndarray]:
    from reportgen.indicators import published

    values = published.published_values()
    rows = values[
        (values["indicator"] == "cla_at_end")
        & (values["year"] == 2025)
        & (values["geographic_level"] == "Local authority")
    ]
    counts = rows.set_index("new_la_code")["value"]
    counts = counts.fillna(counts.median())
    return list(counts.index), counts.to_numpy(dtype=float)


def generate(folder: Path, seed: int = 1) -> None:
    """Write the England-scale returns (see the module notes)."""
    from reportgen.sources import geo

    rng = np.random.default_rng(seed)
    codes, counts = _authorities()
    weights = counts / counts.sum()
    # a sample of real postcodes, grouped by upper-tier authority (the full table is 2.7 million)
    table = geo._centroids().load("ABCDEFGHIJKLMNOPQRSTUVWXYZ")  # bench only: private loader
    sample = table.iloc[rng.choice(len(table), 400_000, replace=False)]
    utla = geo.upper_tier(sample["ltla"]).fillna("").to_numpy(dtype=object)
    postcodes = sample.index.to_numpy(dtype=object)
    pools = []
    for code in codes:
        found = postcodes[utla == code]
        pools.append(found if len(found) else np.array(["LE113TU"], dtype=object))
    everywhere = np.concatenate(pools)

    # periods of care, started 2006-2025; ~36% short, the rest long
    years_simulated = (LAST_DAY - SIM_START).astype(int) / 365.25
    n = int(43_000 * years_simulated)
    start = SIM_START + rng.integers(0, (LAST_DAY - SIM_START).astype(int) + 1, n)
    long_stay = rng.random(n) > 0.36
    length = np.where(long_stay, rng.exponential(1250, n), rng.exponential(80, n)).astype(int) + 1
    age = np.minimum(rng.gamma(2.2, 3.6, n), 17.9)
    dob = start - (age * 365.25).astype(int)
    at_18 = dob + np.timedelta64(6574, "D")  # about the 18th birthday
    end = np.minimum(start + length, at_18)
    keep = end >= HISTORY_START
    start, end, dob, at_18 = start[keep], end[keep], dob[keep], at_18[keep]
    n = int(keep.sum())
    la = rng.choice(len(codes), size=n, p=weights)
    child = np.array([f"C{i:09d}" for i in range(n)], dtype=object)
    short_breaks = rng.random(n) < 0.02
    closed = end <= LAST_DAY

    # episodes: 1 + Poisson(1.3) per period, split at sorted random points
    k = np.where(short_breaks, 1, 1 + np.minimum(rng.poisson(1.3, n), 7))
    period = np.repeat(np.arange(n), k)
    first = np.r_[0, np.cumsum(k)[:-1]]
    position = np.arange(len(period)) - np.repeat(first, k)
    span_end = np.minimum(end, LAST_DAY)
    span = np.maximum((span_end - start).astype(int), 1)
    cut = rng.random(len(period))
    cut[position == 0] = 0.0
    order = np.lexsort((cut, period))
    cut = cut[order]
    decom = start[period] + (cut * span[period]).astype(int)
    nxt = np.r_[decom[1:], np.datetime64("NaT")]
    last = np.r_[period[1:] != period[:-1], True]
    dec = np.where(last, end[period], nxt)
    dec = np.where(dec < decom, decom, dec)
    rne = np.where(position == 0, "S", _choice(rng, RNE_LATER, len(period)))
    ls = np.repeat(_choice(rng, LS, n), k)
    ls = np.where(short_breaks[period], "V3", ls)
    place = _choice(rng, PLACES, len(period))
    provider = np.where(rng.random(len(period)) < 0.6, "PR1", "PR4")
    provider = np.where(np.isin(place, ["P1"]), "PR0", provider)
    provider = np.where(np.isin(place, ["T1", "T4"]), None, provider)
    final_rec = _choice(rng, REC, n)
    final_rec = np.where(end == at_18, "E8", final_rec)
    rec = np.where(last, final_rec[period], "X1")
    sizes = np.array([len(pool) for pool in pools])
    offsets = np.r_[0, np.cumsum(sizes)[:-1]]
    home = everywhere[offsets[la] + rng.integers(0, 10**9, n) % sizes[la]]
    local = rng.random(len(period)) < 0.6
    own = everywhere[offsets[la[period]] + rng.integers(0, 10**9, len(period)) % sizes[la[period]]]
    placement = np.where(local, own, everywhere[rng.integers(0, len(everywhere), len(period))])
    sex = rng.choice(["1", "2"], n)
    ethnic = np.array(ETHNIC, dtype=object)[rng.integers(0, len(ETHNIC), n)]
    uasc = rng.random(n) < 0.07
    episodes = pd.DataFrame(
        {
            "CHILD": child[period],
            "DECOM": _dates(decom),
            "RNE": rne,
            "LS": ls,
            "CIN": "N1",
            "PLACE": place,
            "PLACE_PROVIDER": provider,
            "DEC": _dates(dec),
            "REC": rec,
            "REASON_PLACE_CHANGE": np.where(last, None, "CARPL"),
            "HOME_POST": home[period],
            "PL_POST": placement,
            "URN": None,
        }
    )
    episodes["_DECOM"], episodes["_DEC"], episodes["_OPEN"] = decom, dec, ~closed[period] & last
    dob_text = _dates(dob)

    frames: dict[str, list[pd.DataFrame]] = {"la": []}
    for year in YEARS:
        first_day = np.datetime64(f"{year - 1}-04-01")
        last_day = np.datetime64(f"{year}-03-31")
        rows = (episodes["_DECOM"] <= last_day) & (episodes["_DEC"] >= first_day)
        rows |= (episodes["_DECOM"] <= last_day) & episodes["_OPEN"]
        part = episodes[rows].copy()
        still_open = (part["_DEC"] > last_day) | part["_OPEN"]
        part.loc[still_open, ["DEC", "REC", "REASON_PLACE_CHANGE"]] = None
        part = part.drop(columns=["_DECOM", "_DEC", "_OPEN"])
        present = pd.unique(part["CHILD"])
        index = pd.Series(present).str[1:].astype(np.int64).to_numpy()
        out = folder / str(year)
        out.mkdir(parents=True, exist_ok=True)
        part.to_csv(out / "episodes.csv", index=False)
        sex_year = sex[index] if year < 2025 else np.where(sex[index] == "1", "M", "F")
        header = pd.DataFrame(
            {
                "CHILD": present,
                "SEX": sex_year,
                "DOB": dob_text[index],
                "ETHNIC": ethnic[index],
                "UPN": "UN1",
                "MOTHER": None,
                "MC_DOB": None,
            }
        )
        chosen = index[uasc[index]]
        pd.DataFrame(
            {
                "CHILD": child[chosen],
                "SEX": sex_year[uasc[index]],
                "DOB": dob_text[chosen],
                "DUC": _dates(np.minimum(at_18[chosen], LAST_DAY + 400)),
            }
        ).to_csv(out / "uasc.csv", index=False)
        adopted = index[
            np.isin(final_rec[index], ["E11", "E12"])
            & closed[index]
            & (end[index] >= first_day)
            & (end[index] <= last_day)
        ]
        match = end[adopted] - rng.integers(120, 400, len(adopted))
        pd.DataFrame(
            {
                "CHILD": child[adopted],
                "DOB": dob_text[adopted],
                "DATE_INT": _dates(match - 150),
                "DATE_MATCH": _dates(match),
                "FOSTER_CARE": rng.choice(["0", "1"], len(adopted), p=[0.85, 0.15]),
                "NB_ADOPTR": "2",
                "SEX_ADOPTR": "MF",
                "LS_ADOPTR": "L11",
            }
        ).to_csv(out / "ad1.csv", index=False)
        # care leavers: 17th-21st birthday in the year (ids of their own)
        m = 47_000
        leaver_age = rng.integers(17, 22, m)
        birthday = first_day + rng.integers(0, 365, m)
        leaver_dob = birthday - (leaver_age * 365.25).astype(int)
        leaver_la = rng.choice(len(codes), size=m, p=weights)
        leaver = np.array([f"L{year % 100:02d}{i:07d}" for i in range(m)], dtype=object)
        pd.DataFrame(
            {
                "CHILD": leaver,
                "DOB": _dates(leaver_dob),
                "IN_TOUCH": _choice(rng, OC3_IN_TOUCH, m),
                "ACTIV": _choice(rng, OC3_ACTIV, m),
                "ACCOM": _choice(rng, OC3_ACCOM, m),
            }
        ).to_csv(out / "oc3.csv", index=False)
        leavers_header = pd.DataFrame(
            {
                "CHILD": leaver,
                "SEX": rng.choice(["1", "2"] if year < 2025 else ["M", "F"], m),
                "DOB": _dates(leaver_dob),
                "ETHNIC": "WBRI",
                "UPN": "UN1",
                "MOTHER": None,
                "MC_DOB": None,
            }
        )
        pd.concat([header, leavers_header]).to_csv(out / "header.csv", index=False)
        frames["la"].append(pd.DataFrame({"CHILD": leaver, "LA": np.array(codes)[leaver_la]}))
    frames["la"].append(pd.DataFrame({"CHILD": child, "LA": np.array(codes)[la]}))
    pd.concat(frames["la"]).to_csv(folder / "la.csv", index=False)
    (folder / "VERSION").write_text(DATA_VERSIONS["numpy"])


def _synthetic_authorities(raw: Path) -> None:
    """Every English authority's synthetic returns (``generate_many``, one folder each)."""
    from reportgen.core.authorities import all_authorities
    from reportgen.indicators.published import published_values
    from reportgen.sources import synthetic

    codes = [a.gss for a in all_authorities()]
    synthetic.generate_many(
        codes, "2020-21:2024-25", 0, raw, published=published_values, workers=os.cpu_count() or 1
    )


def combine_authorities(raw: Path, folder: Path) -> None:
    """One folder per year holding every authority's synthetic returns, and ``la.csv``.

    Each authority's files (``raw/<code>/<year>/synthetic_<table>.csv``) are joined under one
    header row; the CHILD ids, ``SYN`` + 7 digits within an authority, become unique nationally
    by putting the authority's number (3 digits, authorities in code order) after ``SYN``. The
    files are joined as bytes (CHILD is the first column of every synthetic table).
    """
    authorities = sorted(p.name for p in raw.iterdir() if (p / "README.txt").exists())
    owners: list[str] = ["CHILD,LA\n"]
    for year in YEARS:
        out = folder / str(year)
        out.mkdir(parents=True, exist_ok=True)
        names = sorted(
            {p.name for code in authorities for p in (raw / code / str(year)).glob("*.csv")}
        )
        for name in names:
            parts: list[bytes] = []
            for number, code in enumerate(authorities):
                path = raw / code / str(year) / name
                if not path.exists():
                    continue
                head, _, body = path.read_bytes().partition(b"\n")
                if not parts:
                    parts.append(head + b"\n")
                prefix = b"\nSYN%03d" % number
                body = (b"\n" + body).replace(b"\nSYN", prefix)[1:]
                parts.append(body)
                if name == "synthetic_header.csv":
                    ids = [line.split(b",", 1)[0].decode() for line in body.splitlines()]
                    owners.extend(f"{child},{code}\n" for child in ids)
            (out / name).write_bytes(b"".join(parts))
    (folder / "la.csv").write_text("".join(owners))


def generate_synthetic(folder: Path) -> None:
    """Write the England-scale returns made by the project's synthetic generator: every English
    authority's own five years (``generate_many``, about a minute on two cores), combined into
    one folder per year (:func:`combine_authorities`); the per-authority files are removed."""
    raw = folder / "_authorities"
    shutil.rmtree(raw, ignore_errors=True)
    _synthetic_authorities(raw)
    combine_authorities(raw, folder)
    shutil.rmtree(raw)
    (folder / "VERSION").write_text(DATA_VERSIONS["synthetic"])


def _generate_in_child(folder: Path, kind: str) -> None:
    target = generate_synthetic if kind == "synthetic" else generate
    process = multiprocessing.get_context("spawn").Process(target=target, args=(folder,))
    process.start()
    process.join()
    if process.exitcode != 0:
        raise SystemExit("generating the benchmark data failed")


def _best(run, repeat: int = 3) -> tuple[float, float]:
    """Best wall-clock and CPU seconds of ``repeat`` runs (the machine may be shared)."""
    walls, cpus = [], []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        run()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return min(walls), min(cpus)


def _peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # Linux: KiB


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(start: tuple[float, float]) -> tuple[float, float]:
    """Wall and CPU seconds since ``start`` (CPU: every thread of this process)."""
    wall, cpu = _clock()
    return wall - start[0], cpu - start[1]


def whole_path(folder: Path) -> tuple[dict[str, tuple[float, float]], object, pd.DataFrame]:
    """Files to every indicator for every authority, 2024-25: read, validate, combine, compute.

    Each year's folder is read once (``scan_return``); the scan is validated (``validate_scan``,
    then ``check_continuity`` between consecutive years, as ``reportgen validate`` does) and
    becomes the year's return (``return_from_scan``); the returns are combined
    (``combine_returns``) and the ``LA`` column added; then ``prepare`` and ``compute_all``.
    """
    from reportgen.indicators import engine
    from reportgen.indicators.blocks import prepare
    from reportgen.sources.ssda903 import read
    from reportgen.sources.ssda903.read import combine_returns, scan_return

    def return_from_scan(scan: read.ReturnScan) -> read.Return:  # builds before it existed
        return read.Return(year=scan.year, folder=scan.folder, tables=scan.tables)

    return_from_scan = getattr(read, "return_from_scan", return_from_scan)
    from reportgen.sources.ssda903.validate import check_continuity, validate_scan

    steps: dict[str, tuple[float, float]] = {}
    start = _clock()
    scans = {year: scan_return(folder / str(year), year) for year in YEARS}
    files = sum(len(scan.files) for scan in scans.values())
    steps[f"read (scan_return, {files} CSVs)"] = _since(start)

    start = _clock()
    problems = [p for scan in scans.values() for p in validate_scan(scan)]
    for year in YEARS[1:]:
        problems += check_continuity(scans[year - 1], scans[year])
    steps[f"validate ({len(problems):,} problems found)"] = _since(start)

    start = _clock()
    history = combine_returns([return_from_scan(scans[year]) for year in YEARS])
    del scans
    history.tables["Header"] = with_la(history.tables["Header"], folder / "la.csv")
    steps["combine (combine_returns + LA)"] = _since(start)

    start = _clock()
    prep = prepare(history)
    steps["prepare (arrays)"] = _since(start)

    start = _clock()
    frame = engine.compute_all(prep, "2024-25")
    steps["compute (99 ids x every LA, 2024-25)"] = _since(start)
    return steps, prep, frame


def with_la(header: pd.DataFrame, path: Path) -> pd.DataFrame:
    """The Header with an ``LA`` column: each child's authority from ``la.csv`` (its first row
    for the child), matched on the pyarrow strings without a pandas index."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pa_csv

    owners = pa_csv.read_csv(
        path,
        read_options=pa_csv.ReadOptions(use_threads=False),
        convert_options=pa_csv.ConvertOptions(
            column_types={"CHILD": pa.large_string(), "LA": pa.large_string()}
        ),
    )
    child = pa.array(header["CHILD"].array)
    at = pc.index_in(child, value_set=owners.column("CHILD"))
    la = pc.take(owners.column("LA"), at)
    return header.assign(LA=pd.Series(la.to_pandas().array, index=header.index))


def one_authority(folder: Path, code: str) -> tuple[float, float]:
    """One authority's five years end to end, as a report runs it: ``validate_input``,
    ``load_history`` and every indicator for 2024-25 (wall, CPU seconds; caches cleared)."""
    from reportgen.indicators import engine
    from reportgen.sources import choose

    choose._validate.cache_clear()
    choose._read_history.cache_clear()
    choose._scans.cache_clear()
    start = _clock()
    choose.validate_input(folder)
    engine.compute(choose.load_history(folder), code, "2024-25")
    return _since(start)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--kind",
        choices=sorted(DEFAULT_DIRS),
        default="synthetic",
        help="synthetic: every authority's returns from the project's synthetic generator, "
        "which follow the rules (the headline); numpy: the older draws, which break some rules",
    )
    parser.add_argument("--data", type=Path, default=None, help="where the returns live")
    parser.add_argument("--regenerate", action="store_true", help="generate the data again")
    parser.add_argument(
        "--one", default="E10000018", help="authority timed on its own (synthetic returns)"
    )
    args = parser.parse_args(argv)
    folder: Path = args.data or DEFAULT_DIRS[args.kind]
    version = folder / "VERSION"
    if args.regenerate or not version.exists() or version.read_text() != DATA_VERSIONS[args.kind]:
        print(f"generating England-scale returns ({args.kind}) in {folder} ...", flush=True)
        t0 = time.perf_counter()
        _generate_in_child(folder, args.kind)
        print(f"  generated in {time.perf_counter() - t0:.0f} s", flush=True)
    one = folder.parent / f"reportgen-bench-903-{args.one}"
    if not (one / "2025").is_dir():
        subprocess.run(
            [
                str(Path(sys.executable).with_name("reportgen")),
                "synth",
                "--authority",
                args.one,
                "--out",
                str(one),
            ],
            check=True,
        )

    from reportgen.indicators import engine
    from reportgen.sources import geo

    csvs = sorted(folder.rglob("*.csv"))
    size_mb = sum(p.stat().st_size for p in csvs) / 1e6
    read_csv, read_cpu = _best(lambda: [pd.read_csv(path) for path in csvs])

    start = _clock()  # reference data, once per process: not part of the path
    geo.centroids(pd.Series([f"{letter}1 1AA" for letter in "ABCDEFGHIJKLMNOPRSTUWYZ"]))
    engine.population(["E10000018"], 2025)  # the ONS and DfE population tables
    reference = _since(start)

    steps, prep, frame = whole_path(folder)
    total = tuple(sum(step[k] for step in steps.values()) for k in (0, 1))
    start = _clock()
    for year in ("2023-24", "2022-23", "2021-22", "2020-21"):
        engine.compute_all(prep, year)
    trend = _since(start)
    single = min((one_authority(one, args.one) for _ in range(3)), key=lambda t: t[0])

    cla = frame["cla_at_end"].sum()
    available = int(frame.notna().all().sum())
    print(f"data: {len(csvs)} CSVs, {size_mb:.0f} MB; {prep.e_child.size:,} episodes combined")
    print(f"authorities: {len(frame)}; children looked after at 31 March 2025: {cla:,.0f}")
    print(f"indicators: {frame.shape[1]} ids ({available} available for every authority)")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (2 cores)")
    from reportgen.sources.ssda903 import read

    print(
        f"read: up to {getattr(read, 'READ_THREADS', 1)} files of a year parsed at once; "
        "pd.read_csv parses each file on one thread (its CPU above its wall time: other threads help build its columns)"
    )
    print(f"{'step':40} {'wall (s)':>9} {'CPU (s)':>8}")
    print(f"{'pd.read_csv of the same CSVs (best of 3)':40} {read_csv:9.2f} {read_cpu:8.2f}")
    print(f"{'reference data, one-off (not counted)':40} {reference[0]:9.2f} {reference[1]:8.2f}")
    for name, (wall, cpu) in steps.items():
        print(f"{name:40} {wall:9.2f} {cpu:8.2f}")
    print(f"{'whole path':40} {total[0]:9.2f} {total[1]:8.2f}")
    print(
        f"ratio whole path / read_csv: {total[0] / read_csv:.1f}x wall, "
        f"{total[1] / read_cpu:.1f}x CPU (goal <= 3x)"
    )
    print(f"four more years (report trends): {trend[0]:.2f} s wall, {trend[1]:.2f} s CPU")
    print(
        f"one authority ({args.one}), five years, validate + read + every indicator: "
        f"{single[0]:.2f} s wall, {single[1]:.2f} s CPU (goal < 1 s; best of 3)"
    )
    print(f"peak memory (max RSS): {_peak_gb():.2f} GB (goal < 4 GB)")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
