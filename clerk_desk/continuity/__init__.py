"""Continuity: the council's records outlive a PC, a database server and a clerk.

Backups and restore of the SQLite file (``backup``, ``restore``), a whole council in one portable
archive (``archive``), copying a council to another database (``transfer``), KeePass files for
passwords (``kdbx``), and the clerk handover (``handovers`` records it, ``handover`` writes the pack),
with their rules (``rules``: backup-overdue, two-factor-personal-device).

They are one package rather than storage/backup.py, credentials/kdbx.py and register/handover.py
because each of them reads, or replaces, all of the council's records at once: they sit above every
other capability (storage, register, access, credentials, incidents, audit), and placing them in any
one of those would make it import the others and create cycles. Passwords are still read and written
only through ``credentials.service``, and the keyring only through ``credentials.vault``.
"""
