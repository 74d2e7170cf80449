"""Demo roles, people and holders (LAGSPILL_DEMO=1 only). Stub: the continuity work fills it in."""


def ensure_demo_continuity() -> list:
    return []
