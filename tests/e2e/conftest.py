"""Fixtures the browser test files share: one headless chromium per module."""

from tests.e2e.test_browser_dashboard import browser  # noqa: F401 - the fixture
