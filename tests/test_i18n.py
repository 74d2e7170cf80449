"""Bokmål and nynorsk are complete, and the committed .mo files match their .po sources."""

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[1] / "lagspill" / "locale"
CATALOGUES = [LOCALE / lang / "LC_MESSAGES" / "django.po" for lang in ("nb", "nn")]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_every_message_is_translated(path: Path) -> None:
    catalogue = polib.pofile(str(path))
    missing = [e.msgid for e in catalogue if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert not missing, f"{len(missing)} untranslated in {path.parts[-3]}: {missing[:10]}"


@pytest.mark.parametrize("path", [*CATALOGUES, LOCALE / "en" / "LC_MESSAGES" / "django.po"], ids=lambda p: p.parts[-3])
def test_the_compiled_catalogue_is_up_to_date(path: Path) -> None:
    source = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.pofile(str(path)) if e.translated()}
    compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.mofile(str(path.with_suffix(".mo")))}
    compiled.pop((None, ""), None)  # the header
    assert source == compiled, "Run `make messages` to compile the catalogues."
