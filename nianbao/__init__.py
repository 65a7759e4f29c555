"""nianbao: parse, check and rank government-information-disclosure annual reports."""

__version__ = "0.1.0"
