"""The web app's unit tests (vitest, web/test/*.test.ts: chart model and filters, gradings, the API
client's headers and error messages, roles, the session, the UK outline and map projection) and
its type check, run from pytest so `make test` runs them."""

from __future__ import annotations

import shutil
import subprocess

from tests.web.harness import WEB


def test_vitest_unit_tests_pass(web_tools):
    npx = shutil.which("npx")
    r = subprocess.run([npx, "vitest", "run", "--reporter=dot"], cwd=WEB, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]


def test_typescript_type_check_passes(web_tools):
    npx = shutil.which("npx")
    r = subprocess.run([npx, "tsc", "--noEmit"], cwd=WEB, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
