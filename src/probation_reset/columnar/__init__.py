"""A caseload as columns: the Parquet tables of a caseload, read and written in chunks."""
