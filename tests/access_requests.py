"""Who may use the requests pages: one case per URL name (merged into `test_access_matrix.py`)."""

from .access_support import Case

CASES: dict[str, Case] = {}
