"""Who may use the reports pages: one case per URL name (merged into `test_access_matrix.py`)."""

from .access_arenas import sortland_meeting
from .access_support import EVERYONE, SORTLAND_WORKING, Case

CASES: dict[str, Case] = {}

# The municipality status report is as open as the municipality's page: everyone gets it, each with what
# they may see (test_reports_municipality.py checks what each reader's report holds).
CASES.update(
    {
        "reports:municipality_pdf": Case(EVERYONE, lambda w: {"number": "1870"}),
        "reports:municipality_xlsx": Case(EVERYONE, lambda w: {"number": "1870"}),
    }
)

# The county report is as open as the county page: everyone gets it, each with what they may see.
# Meeting minutes go with the meeting: a private Sortland arena is a 404 for everyone outside it.
CASES.update(
    {
        "reports:county_pdf": Case(EVERYONE, lambda w: {"number": "18"}),
        "reports:county_xlsx": Case(EVERYONE, lambda w: {"number": "18"}),
        "reports:minutes_pdf": Case(SORTLAND_WORKING, sortland_meeting),
    }
)
