"""chartfix: a static linter and patcher for Helm charts."""

__version__ = "0.1.0"
