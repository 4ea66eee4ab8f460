"""The annual review for full council (Thornbury 10; Stalbridge 5; Barling Magna).

``period`` and ``assessment`` need only the database; ``data`` gathers the figures into plain values;
``annual`` lays them out with reportlab, which is imported only when a report is built, so the rest of
the app starts without it.
"""
