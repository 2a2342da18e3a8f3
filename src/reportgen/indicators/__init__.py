"""Indicators: the registry (ids and metadata), published values, and results.

Submodules: :mod:`~reportgen.indicators.registry` (the §0 contract as metadata),
:mod:`~reportgen.indicators.published` (values from the DfE tables for every geography),
:mod:`~reportgen.indicators.result` (the result models that travel to the report).
"""
