"""BranchDesk core: domain rules, services and persistence. Never imports Qt."""

__version__ = "0.1.0"
