"""Anchoring packages and recurring anchoring activities (templates and creation).

Stub: `title_for` is the contract the models rely on; the continuity work fills in the rest.
"""


def title_for(template: str, subject: str) -> str:
    return subject or template
