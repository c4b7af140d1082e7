"""The caseload store: cases, every change to them, and the status history that follows.

``database`` opens the database (SQLite by default, PostgreSQL by ``DATABASE_URL``) and brings its
schema to the newest migration; ``models`` are the tables; ``repository`` reads and writes them
inside the caller's transaction; ``importer`` brings files in, one transaction per batch;
``history`` turns the core's timeline into status spans and transitions.
"""
