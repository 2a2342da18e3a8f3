"""Data sources: published DfE tables (default), SSDA903 returns, synthetic 903 data."""
