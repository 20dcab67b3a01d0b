# SPDX-License-Identifier: LGPL-2.1-or-later
"""Load one of userspace/bench's Python scripts (no .py suffix) as a
module, for its unit tests."""
import importlib.machinery
import importlib.util
import os

here = os.path.dirname(os.path.abspath(__file__))


def load(name):
    path = os.path.join(here, "..", "..", "bench", name)
    modname = name.replace("-", "_")
    loader = importlib.machinery.SourceFileLoader(modname, path)
    spec = importlib.util.spec_from_loader(modname, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module
