"""Build the reference Word templates, one per layout, into ``templates/``.

Usage::

    python scripts/build_templates.py            # every layout
    python scripts/build_templates.py county-scrutiny

The layouts are the files in ``templates/layouts/*.yaml`` (their ``render.look`` and
``render.styles``). Each template starts from python-docx's default template and gets the
layout's page, fonts and styles (see ``reportgen.docx.styles.build_template``). The output is byte-reproducible, so the
committed templates only change when this script or a layout changes.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from reportgen.core.paths import TEMPLATES_DIR
from reportgen.docx import LAYOUTS, build_template, save_document


def main(argv: list[str] | None = None) -> int:
    """Build the templates named on the command line (default: all).

    Parameters
    ----------
    argv
        Command-line arguments (without the program name).

    Returns
    -------
    int
        Exit status.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "layouts", nargs="*", help=f"layouts to build (default: {', '.join(LAYOUTS)})"
    )
    parser.add_argument(
        "--out", type=Path, default=TEMPLATES_DIR, help="output folder (default: templates/)"
    )
    args = parser.parse_args(argv)
    unknown = sorted(set(args.layouts) - set(LAYOUTS))
    if unknown:
        parser.error(f"unknown layout(s): {', '.join(unknown)}; known: {', '.join(LAYOUTS)}")
    for name in args.layouts or list(LAYOUTS):
        spec = LAYOUTS[name]
        path = save_document(build_template(spec), args.out / spec.template)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
