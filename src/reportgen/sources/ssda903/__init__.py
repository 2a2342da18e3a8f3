"""SSDA903 returns: reading, table detection, year folders and validation."""
