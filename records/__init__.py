"""The record of the day: minutes (รายงานการประชุม), the plenary document and the
attendance, as files a secretariat files and edits (DOCX, PDF, CSV, XLSX).

``records.minutes`` gathers what happened (reads only); the writers
(``records.word``, ``records.pdf``, ``records.attendance``) only lay it out.
"""
