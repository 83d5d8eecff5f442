"""Copies the top-level indicators.yaml and templates/ into the wheel.

The repository keeps one copy of each at the top level, where analysts look for them;
a normal (non-editable) install still needs them inside the package, so the build step
places them in ``vosp_monitor/_bundled/``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).parent


class BuildWithBundledData(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "vosp_monitor" / "_bundled"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / "indicators.yaml", target / "indicators.yaml")
        shutil.copytree(ROOT / "templates", target / "templates", dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithBundledData})
