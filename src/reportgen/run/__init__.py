"""Running reports: one paper, batches, executors and kept kernels."""

import sys

# papermill imports nbformat, which imports jsonschema, which imports ``rfc3987_syntax`` when it is
# installed (a Jupyter dependency): that module compiles a Lark grammar at import, 1-2.5 s of every
# `reportgen report` and of every batch worker's start. It serves only jsonschema's "iri" format
# check, which notebook validation never uses (nbformat validates without a format checker), so
# this process does without it. Set before any module of this package imports papermill.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
