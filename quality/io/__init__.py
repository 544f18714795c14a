"""Reading articles in and writing reports out."""

from quality.io.readers import RawRecord, iter_records, raw_records, read
from quality.io.writers import open_writer

__all__ = ["RawRecord", "iter_records", "open_writer", "raw_records", "read"]
