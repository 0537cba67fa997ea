"""Keeps pyHanko's aiohttp clients from loading with every `pyhanko.sign` import.

pyHanko imports its aiohttp time-stamp client and pyhanko-certvalidator's aiohttp fetchers at
once, and with them aiohttp (about a quarter of a second, plus a TLS context built at import),
although the app time-stamps and fetches through requests (`tsa.py`, `fetchers.py`). `install()`
puts stand-in modules under those names before pyHanko is imported: a real module loads the
first time anything of it is used, and constructing a stand-in class builds the real object.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types

# module -> the classes other modules import from it by name at import time
STANDINS = {
    "pyhanko.sign.timestamps.aiohttp_client": ("HTTPTimeStamper",),
    "pyhanko_certvalidator.fetchers.aiohttp_fetchers": ("AIOHttpFetcherBackend",),
}
_FLAG = "__lienthong_standin__"


def _spec(name: str) -> tuple[importlib.machinery.ModuleSpec, importlib.abc.Loader]:
    parent = importlib.import_module(name.rpartition(".")[0])
    spec = importlib.machinery.PathFinder.find_spec(name, parent.__path__)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot find {name}", name=name)
    return spec, spec.loader


def is_standin(module: object) -> bool:
    return bool(getattr(module, _FLAG, False))


def load(name: str) -> types.ModuleType:
    """The real module `name`, executed now if only its stand-in is loaded."""
    current = sys.modules.get(name)
    if current is not None and not is_standin(current):
        return current
    spec, loader = _spec(name)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        loader.exec_module(module)
    except BaseException:
        if current is not None:
            sys.modules[name] = current
        else:
            del sys.modules[name]
        raise
    parent_name, _, child = name.rpartition(".")
    setattr(sys.modules[parent_name], child, module)
    return module


def _forwarding_class(module_name: str, class_name: str) -> type:
    def __new__(cls: type, *args: object, **kwargs: object) -> object:
        return getattr(load(module_name), class_name)(*args, **kwargs)

    doc = f"Stands in for {module_name}.{class_name}: constructing one builds the real one."
    return type(class_name, (), {"__new__": __new__, "__doc__": doc, "__module__": __name__})


def _standin(name: str, class_names: tuple[str, ...]) -> types.ModuleType:
    module = types.ModuleType(name, f"Stand-in for {name}; see {__name__}.")
    setattr(module, _FLAG, True)
    for class_name in class_names:
        setattr(module, class_name, _forwarding_class(name, class_name))

    def __getattr__(attr: str) -> object:
        if attr == "__path__":  # a submodule is being imported: it needs only the package's folder
            locations = _spec(name)[0].submodule_search_locations
            if locations is not None:
                return list(locations)
        if attr.startswith("__"):  # repr, pickling and introspection must not load aiohttp
            raise AttributeError(attr)
        return getattr(load(name), attr)

    setattr(module, "__getattr__", __getattr__)  # noqa: B010  (a module's __getattr__ is an attribute, not a method)
    return module


def install() -> None:
    """Put the stand-ins in place, for the modules not loaded yet."""
    for name, class_names in STANDINS.items():
        if name not in sys.modules:
            sys.modules[name] = _standin(name, class_names)
