"""Keep PySide6 from holding on to the source text of every module imported after it.

shiboken6 replaces ``__import__``: for each Python module imported once PySide6 is loaded,
it checks whether the module's source mentions "PySide6" (to apply the module's
``from __feature__ import ...`` choices). It reads the source with ``inspect.getsource``,
which leaves the lines of every such file in ``linecache`` for good: some 200 files, about
10 MB of a tray app that otherwise needs 60. Freeing them afterwards gives nothing back
(the strings are scattered among the modules' own objects), so :func:`install` makes the
same check read the file without caching it.

The check lives in a private PySide6 module; where it is not there (another PySide6), this
does nothing.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Final

#: The PySide6 module with the check, and the check's name in it.
FEATURE_MODULE: Final = "PySide6.support.feature"
CHECK_NAME: Final = "_mod_uses_pyside"


def mentions_pyside(module: ModuleType) -> bool:
    """True when the source of ``module`` mentions PySide6 (read once, not cached).

    Like PySide6's own check, a module without source (built in, an extension, only
    bytecode) gives False.
    """
    spec = getattr(module, "__spec__", None)
    loader = getattr(spec, "loader", None) if spec is not None else None
    get_source = getattr(loader, "get_source", None)
    if spec is None or get_source is None:
        return False
    try:
        source = get_source(spec.name)
    except (ImportError, OSError, SyntaxError, UnicodeDecodeError):
        return False
    return isinstance(source, str) and "PySide6" in source


def install() -> bool:
    """Swap PySide6's check for :func:`mentions_pyside`; False when there is none to swap."""
    import PySide6  # noqa: F401  (loads shiboken6 and its feature module)

    feature = sys.modules.get(FEATURE_MODULE)
    if feature is None or not callable(getattr(feature, CHECK_NAME, None)):
        return False
    setattr(feature, CHECK_NAME, mentions_pyside)
    return True
