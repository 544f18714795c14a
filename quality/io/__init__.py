"""Reading articles in and writing reports out."""

from quality.io.readers import iter_records, read
from quality.io.writers import open_writer

__all__ = ["iter_records", "open_writer", "read"]
