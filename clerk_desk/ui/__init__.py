"""The PySide6 window: pages, dialogs, table models. Only this package (and app.py) imports Qt."""
