"""PDF documents of the follow-up: the adopted resolutions and progress reports.

Set in Sarabun with HarfBuzz shaping, Thai lines broken at word boundaries, left
aligned (``thai.pdf``).
"""

from resolutions.pdf.document import resolutions_pdf
from resolutions.pdf.report import progress_report_pdf

__all__ = ["progress_report_pdf", "resolutions_pdf"]
