"""Every error a fazhi user can meet, in one place, each with a message that says what to do."""

from __future__ import annotations

from pathlib import Path


class FazhiError(Exception):
    """Base class of all fazhi errors."""


class ReadError(FazhiError):
    """A file could not be read as a report. The message names the file and the problem."""

    def __init__(self, path: str | Path, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class UnsupportedFormatError(ReadError):
    """The file's extension or content is not a format fazhi reads."""


class EmptyDocumentError(ReadError):
    """The file holds no text (empty, whitespace only, or a scanned PDF without a text layer)."""


class EncodingError(ReadError):
    """The bytes could not be decoded as text in any common Chinese encoding."""


class CorpusError(FazhiError):
    """The corpus as a whole cannot be built (no path, no readable file, bad sidecar)."""


class MetadataError(FazhiError):
    """A sidecar metadata.csv is malformed."""


class ParameterError(FazhiError, ValueError):
    """A function or notebook was given a parameter it does not accept."""


class FontNotFoundError(FazhiError):
    """No font that covers Chinese characters could be found."""


class RenderError(FazhiError):
    """One or more notebooks failed to render."""


class OutputError(FazhiError):
    """The output folder cannot be written: it is a file, read-only, or the disk is full.
    Nothing is left half-written under a final name."""


class RenderInterrupted(KeyboardInterrupt):
    """A render was stopped (Ctrl-C): running notebooks were stopped, pending ones never
    started, and the index says which. ``report`` is the :class:`RenderReport` so far."""

    def __init__(self, report):
        self.report = report
        super().__init__("render interrupted")


class ConfigError(FazhiError):
    """A render configuration (runs.yml) or notebook selection is malformed. The message names
    the file, the run and the problem."""


class IndicatorDictionaryError(FazhiError):
    """An indicator dictionary (indicators.yml or the user's own) is malformed. The message
    names the file, the indicator and the problem."""

    def __init__(self, where: str | Path, problem: str):
        self.where = str(where)
        self.problem = problem
        super().__init__(f"{self.where}: {problem}")


class ReviewError(FazhiError):
    """A review file (facts_review.csv) is malformed. The message names the file, the line
    and the problem."""

    def __init__(self, where: str | Path, problem: str):
        self.where = str(where)
        self.problem = problem
        super().__init__(f"{self.where}: {problem}")
