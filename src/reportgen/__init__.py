"""reportgen: committee report automation for English children's services."""

__version__ = "0.1.0"
