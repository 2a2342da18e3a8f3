"""Generate ``params/authorities/<GSS>.yaml`` for every authority in ``all_authorities()``.

Usage::

    .venv/bin/python scripts/build_authority_params.py            # write new or changed files
    .venv/bin/python scripts/build_authority_params.py --check    # exit 1 if any file would change
    .venv/bin/python scripts/build_authority_params.py --reset    # rewrite local details too

Each file has two kinds of keys:

* **Published facts**, rewritten on every run from the shipped DfE data: ``authority_code``,
  ``authority_name``, ``old_la_code``, ``region`` and ``statistical_neighbours`` (DfE statistical
  neighbour model 2025, closest first, each with its name as a comment).
* **Local details** (``layout``, ``committee``, ``report_of``, ``officers`` and any other
  :class:`reportgen.core.config.ReportParams` key): written when the file is created, then kept as they
  are in the file (edit them there). A new file gets the values of ``params/defaults.yaml``, except
  for the four authorities whose published committee papers are in
  ``shared/reference/example-papers`` (see :data:`LOCAL_DETAILS`). ``--reset`` rewrites them.

Output is deterministic (fixed key order, one neighbour per line, no timestamps), so running the
script twice changes nothing. Comments added by hand are not kept.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

from reportgen.core.authorities import Authority, all_authorities, display_name
from reportgen.core.config import ReportParams
from reportgen.core.paths import PARAMS_DIR

PUBLISHED_KEYS = ("authority_code", "authority_name", "old_la_code", "region")
NEIGHBOURS_KEY = "statistical_neighbours"
NEW_FILE_KEYS = ("layout", "committee", "report_of", "officers")
"""Local keys a new file gets (from defaults.yaml, or :data:`LOCAL_DETAILS` when it has them)."""

LOCAL_DETAILS: dict[str, dict[str, Any]] = {
    "E10000018": {
        "_source": "000_f39f7f6c59d03da1.txt, Leicestershire, Children and Families Overview and "
        "Scrutiny Committee, 4 June 2019",
        "committee": "Children and Families Overview and Scrutiny Committee",
        "report_of": "Director of Children and Family Services",
        "officers": [
            {
                "name": "Jane Moore",
                "job_title": "Director of Children and Family Services",
                "telephone": "0116 305 2649",
                "email": "Jane.Moore@leics.gov.uk",
            },
            {
                "name": "Sharon Cooke",
                "job_title": "Assistant Director, Children's Social Care",
                "telephone": "0116 305 5479",
                "email": "Sharon.Cooke@leics.gov.uk",
            },
        ],
    },
    "E10000034": {
        "_source": "001_31f23ab7bc20b470.txt, Worcestershire, Children and Young People Overview "
        "and Scrutiny Panel, 2015",
        "committee": "Children and Young People Overview and Scrutiny Panel",
        "report_of": "Director of Children's Services",
        "officers": [
            {
                "name": "Alyson Grice",
                "job_title": "Overview and Scrutiny Officer, Commercial Directorate",
                "telephone": "01905 766619",
                "email": "scrutiny@worcestershire.gov.uk",
            },
            {
                "name": "Samantha Morris",
                "job_title": "Overview and Scrutiny Officer, Commercial Directorate",
                "telephone": "01905 766619",
                "email": "scrutiny@worcestershire.gov.uk",
            },
        ],
    },
    "E10000019": {
        "_source": "002_7c9e3ff370926783.txt, Lincolnshire, Children and Young People Scrutiny "
        "Committee, 5 March 2021",
        "committee": "Children and Young People Scrutiny Committee",
        "report_of": "Executive Director - Children's Services",
        "officers": [
            {
                "name": "Tara Jones",
                "job_title": "",
                "telephone": "01522 552686",
                "email": "tara.jones@lincolnshire.gov.uk",
            },
        ],
        "background_papers": "No background papers within Section 100D of the Local Government "
        "Act 1972 were used in the preparation of this report.",
    },
    "E09000028": {
        "_source": "003_4826bc78edcd9a8e.txt, Southwark, Corporate Parenting Committee, "
        "26 February 2019",
        "committee": "Corporate Parenting Committee",
        "report_of": "Director of Children and Families",
        "officers": [
            {"name": "Alasdair Smith", "job_title": "Director, Children & Families"},
            {"name": "Kelly Henry", "job_title": "Head of Service"},
            {"name": "Helen Woolgar", "job_title": "Assistant Director, Safeguarding and Care"},
        ],
    },
}
"""Local details published in the example committee papers (public documents; dated, so check
them before a real meeting). Officers' missing fields are filled with empty strings."""

OFFICER_KEYS = ("name", "job_title", "telephone", "email")


def local_details_for_new_file(authority: Authority, defaults: dict[str, Any]) -> dict[str, Any]:
    """The local keys a newly created file gets."""
    details: dict[str, Any] = {}
    for key in NEW_FILE_KEYS:
        if defaults.get(key) is not None:
            details[key] = defaults[key]
    seed = LOCAL_DETAILS.get(authority.gss, {})
    details.update({k: v for k, v in seed.items() if not k.startswith("_")})
    if "officers" in details:
        details["officers"] = [
            {key: str(officer.get(key, "")) for key in OFFICER_KEYS}
            for officer in details["officers"]
        ]
    return details


def render(authority: Authority, local: dict[str, Any], names: dict[str, str]) -> str:
    """The file's text: published facts, then local keys in :class:`ReportParams` field order."""
    lines = [
        f"# {authority.name} ({authority.gss}, {authority.old_code}): report parameters.",
        "# Generated by scripts/build_authority_params.py. The keys down to statistical_neighbours",
        "# come from the published DfE data and are rewritten on every run; the keys after them",
        "# are local details: edit them here (the script keeps them). Any ReportParams key may be",
        "# set here; params/defaults.yaml has the documented list.",
    ]
    source = LOCAL_DETAILS.get(authority.gss, {}).get("_source")
    if source:
        file_name, _, meeting = source.partition(", ")
        lines.append(
            f"# Local details first taken from shared/reference/example-papers/{file_name}"
        )
        lines.append(f"# ({meeting}).")
    for key in PUBLISHED_KEYS:
        value = getattr(authority, _FIELD[key])
        if key == "authority_name":
            value = display_name(value)
        lines.append(f"{key}: {_scalar(value)}")
    lines.append("# DfE statistical neighbour model 2025, closest first.")
    lines.append(f"{NEIGHBOURS_KEY}:")
    lines += [f"  - {code}  # {names[code]}" for code in authority.neighbours]
    for key in _local_order(local):
        lines += _block(key, local[key])
    return "\n".join(lines) + "\n"


_FIELD = {
    "authority_code": "gss",
    "authority_name": "name",
    "old_la_code": "old_code",
    "region": "region",
}


def _local_order(local: dict[str, Any]) -> list[str]:
    fields = [k for k in ReportParams.model_fields if k in local]
    return fields + sorted(k for k in local if k not in ReportParams.model_fields)


def _scalar(value: Any) -> str:
    """One YAML scalar (quoted only when YAML needs it)."""
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000)
    return text.removesuffix("\n").removesuffix("\n...")


def _block(key: str, value: Any) -> list[str]:
    """A top-level key and its value, officers one field per line."""
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        lines = [f"{key}:"]
        for item in value:
            for i, (field, field_value) in enumerate(item.items()):
                lead = "  - " if i == 0 else "    "
                lines.append(f"{lead}{field}: {_scalar(field_value)}")
        return lines
    if isinstance(value, list | dict) and value:
        dumped = yaml.safe_dump(
            {key: value}, default_flow_style=False, allow_unicode=True, sort_keys=False
        )
        return dumped.rstrip("\n").splitlines()
    return [f"{key}: {_scalar(value)}"]


def existing_local_details(path: Path) -> dict[str, Any] | None:
    """The local keys of an existing file, or ``None`` when there is no file."""
    if not path.exists():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise SystemExit(f"{path}: expected a mapping at the top level; fix or delete the file")
    return {k: v for k, v in data.items() if k not in (*PUBLISHED_KEYS, NEIGHBOURS_KEY)}


def build(params_dir: Path, *, reset: bool = False, check: bool = False) -> list[Path]:
    """Write (or, with ``check``, only compare) every authority's file.

    Returns
    -------
    list of Path
        The files that were written (or would be, with ``check``).
    """
    defaults = yaml.safe_load((params_dir / "defaults.yaml").read_text(encoding="utf-8")) or {}
    target = params_dir / "authorities"
    authorities = all_authorities()
    names = {a.gss: a.name for a in authorities}
    changed = []
    for authority in sorted(authorities, key=lambda a: a.gss):
        path = target / f"{authority.gss}.yaml"
        local = None if reset else existing_local_details(path)
        if local is None:
            local = local_details_for_new_file(authority, defaults)
        text = render(authority, local, names)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        changed.append(path)
        if not check:
            target.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".yaml.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
    stale = sorted(p.name for p in target.glob("*.yaml") if p.stem not in names)
    if stale:
        print(f"warning: not current authorities (left as they are): {', '.join(stale)}")
    return changed


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--params-dir", type=Path, default=PARAMS_DIR, help="default: params/")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    parser.add_argument("--reset", action="store_true", help="rewrite the local details too")
    args = parser.parse_args(argv)
    changed = build(args.params_dir, reset=args.reset, check=args.check)
    total = len(all_authorities())
    if args.check:
        if changed:
            print(f"{len(changed)} of {total} authority files are out of date, e.g. {changed[0]}")
            return 1
        print(f"all {total} authority files are up to date")
        return 0
    print(f"{total} authority files: {len(changed)} written, {total - len(changed)} unchanged")
    return 0


if __name__ == "__main__":
    sys.exit(main())
