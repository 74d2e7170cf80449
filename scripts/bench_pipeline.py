"""Time the built-in pipeline on a fresh SQLite database (all 357 municipalities, 2005–2026), and
the challenge index for all municipalities and years. Run by `make bench`; not a test."""

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
folder = tempfile.mkdtemp(prefix="lagspill-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lagspill.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from lagspill.indicators import derived, pipeline  # noqa: E402
from lagspill.indicators.models import Observation  # noqa: E402
from lagspill.places.loaders import load_places  # noqa: E402

call_command("migrate", verbosity=0)
load_places()
start = time.perf_counter()
lines = list(pipeline.run())
pipeline_seconds = time.perf_counter() - start
start = time.perf_counter()
scores = derived.compute_index()
index_seconds = time.perf_counter() - start
print(f"built-in pipeline, fresh SQLite: {pipeline_seconds:.2f} s ({Observation.objects.count()} observations)")
for line in lines:
    print(f"  {line}")
print(f"challenge index, all municipalities and years: {index_seconds:.2f} s ({scores} scores, incl. writing)")
