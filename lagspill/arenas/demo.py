"""Demo arenas, meetings, decisions and actions (LAGSPILL_DEMO=1 only). Stub: the arenas work fills it in."""


def ensure_demo_arenas() -> list:
    return []
