"""Qt widgets and item models: the only package that imports PySide6."""

# Loaded before PySide6 on purpose. Once PySide6 is loaded it reads the source file of every
# module imported after it (to learn whether the module uses its `__feature__` switches), about
# a tenth of a second of each start when SQLAlchemy, the models and the services come after it.
# The services the window needs (and with them the store and SQLAlchemy) load here first, so
# that only the ui's own modules are read.
import annotator.services.library  # noqa: F401
