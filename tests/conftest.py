import os
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import override_settings
from hypothesis import settings as hypothesis_settings

from lagspill.indicators import pipeline
from lagspill.places.loaders import load_places
from lagspill.plans import criteria

from .builders import World, build_world

# CI runs the same examples every time (a red build is then reproducible); no deadlines on a busy machine.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None)
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")


def load_reference_data() -> None:
    load_places()
    list(pipeline.run())
    criteria.sync()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> None:
    """The built-in places and population, loaded once for the whole session (the real files)."""
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture
def world(db: None) -> World:
    cache.clear()  # login rate limits live in the cache; each test starts with none
    return build_world()


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> Iterator[None]:
    """Real hashing costs ~0.3 s a user; tests build many users."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True, scope="session")
def _media_outside_the_repository(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Uploaded plan documents go to a temporary folder, not the working tree."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield
