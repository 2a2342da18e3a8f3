"""The ``reportgen`` command line (typer), one module per group of commands."""
