"""The reliability suite (make reliability): a package, so its conftest does not shadow tests/conftest.py."""
