"""Keeps modules pyHanko imports but a command rarely uses from loading with every `pyhanko.sign` import.

pyHanko imports its aiohttp time-stamp client and pyhanko-certvalidator's aiohttp fetchers at
once, and with them aiohttp (about a quarter of a second, plus a TLS context built at import),
although the app time-stamps and fetches through requests (`tsa.py`, `fetchers.py`). Its
OpenType engine imports fontTools' subsetter (about 0.2 s), which only cuts a font the cache
folder does not hold yet (`appearance.py`, `fontcache.py`). `install()` puts stand-in modules
under those names before pyHanko is imported: a real module loads the first time anything of it
is used, and constructing a stand-in class builds the real object.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import sys
import threading
import types
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    # Not at run time: importlib.abc imports importlib.resources, and with it tempfile and shutil.
    import importlib.abc

# module -> the classes other modules import from it by name at import time
STANDINS = {
    "pyhanko.sign.timestamps.aiohttp_client": ("HTTPTimeStamper",),
    "pyhanko_certvalidator.fetchers.aiohttp_fetchers": ("AIOHttpFetcherBackend",),
    # pyHanko's OpenType engine names subset.Options in a signature, evaluated at import.
    "fontTools.subset": ("Options",),
    # For .p12 files only; loads cryptography's whole x509 package (about 50 ms).
    "cryptography.hazmat.primitives.serialization.pkcs12": (),
    # XMP metadata (lxml, tzlocal), imported by every write though only some documents carry it.
    "pyhanko.pdf_utils.metadata.xmp_xml": (),
    # pyHanko's modules call tzlocal.get_localzone() when they need it, but import it (and
    # zoneinfo) with the reader, which a verification never asks the time zone of.
    "tzlocal": (),
}
_FLAG = "__lienthong_standin__"
_SWAPPING = threading.Lock()
# Held while a lazy package's own __init__ runs (re-entrant: the __init__ may look names up itself).
_INIT_LOCK = threading.RLock()


def _spec(name: str) -> tuple[importlib.machinery.ModuleSpec, importlib.abc.Loader]:
    parent = importlib.import_module(name.rpartition(".")[0])
    spec = importlib.machinery.PathFinder.find_spec(name, parent.__path__)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot find {name}", name=name)
    return spec, spec.loader


def is_standin(module: object) -> bool:
    return bool(getattr(module, _FLAG, False))


def load(name: str) -> types.ModuleType:
    """The real module `name`, executed now if only its stand-in is loaded.

    Imported by the import system itself, so that another thread asking for the module while it
    executes (the two documents of a batch, the GUI's warm-up beside a signing) waits for it
    instead of being handed a half-made module."""
    with _SWAPPING:
        current = sys.modules.get(name)
        standin = current if current is not None and is_standin(current) else None
        if standin is not None:
            del sys.modules[name]
    try:
        return importlib.import_module(name)
    except BaseException:
        if standin is not None:
            sys.modules.setdefault(name, standin)
        raise


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


class _LazyInitLoader:
    """Makes a package whose submodules import at once and whose own __init__ runs the first time
    a name that is not a submodule is looked up in it."""

    def __init__(self, real: importlib.abc.Loader) -> None:
        self.real = real

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        name, real = module.__name__, self.real
        ran: list[bool] = []

        def __getattr__(attr: str) -> object:
            if attr.startswith("__"):
                raise AttributeError(attr)
            if importlib.util.find_spec(f"{name}.{attr}") is not None:
                return importlib.import_module(f"{name}.{attr}")
            # Another thread asking while __init__ runs waits for it rather than find the name missing.
            with _INIT_LOCK:
                if not ran:
                    ran.append(True)  # before running it: a lookup from inside __init__ must not run it again
                    try:
                        real.exec_module(module)
                    except BaseException:
                        ran.clear()
                        raise
            if attr in module.__dict__:
                return module.__dict__[attr]
            raise AttributeError(f"module {name!r} has no attribute {attr!r}")

        setattr(module, "__getattr__", __getattr__)  # noqa: B010


class _LazyInitFinder:
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in LAZY_PACKAGES:
            return None
        # The finder that would load it otherwise (the file system, a frozen app's archive).
        spec = next((found for finder in sys.meta_path if finder is not self and hasattr(finder, "find_spec")
                     and (found := finder.find_spec(fullname, path, target)) is not None), None)
        if spec is None or spec.loader is None or spec.submodule_search_locations is None:
            return None
        # A loader by its methods (create_module, exec_module), as the import system uses it.
        spec.loader = _LazyInitLoader(spec.loader)  # type: ignore[assignment]
        return spec


# Packages whose __init__ imports every submodule: `pyhanko.sign` loads the whole signing stack
# (PdfSigner, stamps, fields, CMS building) for a verification that uses none of it.
LAZY_PACKAGES = ("pyhanko.sign",)


def install() -> None:
    """Put the stand-ins in place, for the modules not loaded yet."""
    if not any(isinstance(finder, _LazyInitFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _LazyInitFinder())
    for name, class_names in STANDINS.items():
        if name not in sys.modules:
            sys.modules[name] = _standin(name, class_names)
