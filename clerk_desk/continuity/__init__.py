"""Continuity: the council's records outlive a PC, a database server and a clerk.

Backups and restore of the SQLite file, a whole council in one portable archive, copying a council to
another database, KeePass files for passwords, and the clerk handover. These sit above every other
capability because each of them reads (or replaces) all of the council's records at once.
"""
