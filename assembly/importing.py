"""Reading the secretariat's partner spreadsheet: parsing and row validation.

No database here. ``read_table`` turns the uploaded bytes (CSV or XLSX) into a
``Table`` of raw text cells keyed by field name; ``validate_rows`` checks every row
against the rules below and the assembly's breakout room numbers, and returns the
clean rows or every bad row with its line and reason. ``assembly.imports`` compares
the clean rows with the database and applies them.

The accepted format
-------------------
* CSV (UTF-8 with or without BOM; UTF-16 with BOM, as Excel's "Unicode text"
  export; Windows Thai cp874/TIS-620 as a fallback), separated by commas,
  semicolons or tabs (read from the header line); or XLSX (the first sheet).
  Old binary ``.xls`` files and anything else are refused: the content decides,
  not only the name. At most ``MAX_BYTES`` bytes and ``MAX_ROWS`` data rows.
* The first non-empty row is the header. Columns are matched by name, in any
  order, case- and space-insensitively (``HEADER_ALIASES``): organisation
  (องค์กร, หน่วยงาน), organisation_en, short_name (ชื่อย่อ), sector (ภาค),
  delegate (ชื่อผู้แทน), delegate_en, role (บทบาท), room (ห้อง), phone (โทรศัพท์),
  email (อีเมล). organisation, sector, delegate, role and room are required;
  other columns are ignored (and listed in the preview).
* Line numbers are those the spreadsheet shows: the header is line 1 when it is
  the first row; blank rows are skipped but still counted.
* sector: ``SECTOR_ALIASES`` (state / academic / private / civil, or Thai
  ภาครัฐ, ภาควิชาการ, ภาคเอกชน, ภาคประชาสังคม ...); role: ``ROLE_ALIASES``
  (voting / alternate / observer, or ผู้แทนหลัก, ผู้แทนสำรอง, ผู้สังเกตการณ์);
  room: the number of an existing breakout room ("2", "ห้อง 2", "๒").
* Cells starting with ``= + - @`` (a spreadsheet formula, or text that becomes one
  when the data is opened in a spreadsheet again) are refused with a reason,
  never silently altered. The one exception: a phone number such as
  ``+66 81 234 5678``. HTML in names is kept as text; templates escape it.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import asdict, dataclass, field, replace

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 50
MAX_SHEET_LINES = 100_000  # rows of a sheet read at all, blank or not
# An XLSX is a zip: refuse one that would unpack to far more than its size.
MAX_XLSX_UNPACKED = 40 * 1024 * 1024

FIELDS = (
    "organisation", "organisation_en", "short_name", "sector", "delegate",
    "delegate_en", "role", "room", "phone", "email",
)
REQUIRED = ("organisation", "sector", "delegate", "role", "room")
COLUMN_LABELS = {
    "organisation": pgettext_lazy("import column", "organisation"),
    "organisation_en": pgettext_lazy("import column", "organisation (English)"),
    "short_name": pgettext_lazy("import column", "short name"),
    "sector": pgettext_lazy("import column", "sector"),
    "delegate": pgettext_lazy("import column", "delegate"),
    "delegate_en": pgettext_lazy("import column", "delegate (English)"),
    "role": pgettext_lazy("import column", "role"),
    "room": pgettext_lazy("import column", "room"),
    "phone": pgettext_lazy("import column", "phone"),
    "email": pgettext_lazy("import column", "email"),
}
MAX_LENGTH = {
    "organisation": 300, "organisation_en": 300, "short_name": 80, "delegate": 200,
    "delegate_en": 200, "phone": 40, "email": 254,
}

HEADER_ALIASES = {
    "organisation": (
        "organisation", "organization", "org", "องค์กร", "หน่วยงาน", "ชื่อองค์กร",
        "ชื่อหน่วยงาน", "ภาคีเครือข่าย", "องค์กร/หน่วยงาน",
    ),
    "organisation_en": (
        "organisation_en", "organization_en", "organisation (english)",
        "องค์กร (ภาษาอังกฤษ)", "หน่วยงาน (ภาษาอังกฤษ)", "ชื่อหน่วยงานภาษาอังกฤษ",
        "ชื่อองค์กรภาษาอังกฤษ",
    ),
    "short_name": ("short_name", "short name", "ชื่อย่อ", "ชื่อย่อหน่วยงาน"),
    "sector": ("sector", "ภาค", "ภาคส่วน"),
    "delegate": (
        "delegate", "name", "ชื่อผู้แทน", "ผู้แทน", "ชื่อ-สกุล", "ชื่อ-นามสกุล",
    ),
    "delegate_en": (
        "delegate_en", "delegate (english)", "ชื่อผู้แทน (ภาษาอังกฤษ)",
        "ชื่อผู้แทนภาษาอังกฤษ",
    ),
    "role": ("role", "kind", "บทบาท", "ประเภทผู้แทน"),
    "room": ("room", "breakout room", "ห้อง", "ห้องย่อย"),
    "phone": ("phone", "telephone", "tel", "โทรศัพท์", "เบอร์โทรศัพท์", "เบอร์โทร"),
    "email": ("email", "e-mail", "อีเมล", "อีเมล์"),
}

SECTOR_ALIASES = {
    "state": (
        "state", "government", "public", "รัฐ", "ภาครัฐ", "หน่วยงานรัฐ",
        "หน่วยงานภาครัฐ",
    ),
    "academic": (
        "academic", "academic and professional", "academia", "professional",
        "วิชาการ", "ภาควิชาการ", "วิชาชีพ", "ภาควิชาชีพ", "วิชาการและวิชาชีพ",
        "ภาควิชาการและวิชาชีพ",
    ),
    "private": (
        "private", "private sector", "business", "เอกชน", "ภาคเอกชน", "ธุรกิจ",
        "ภาคธุรกิจ",
    ),
    "civil": (
        "civil", "civil society", "civil society and community", "community",
        "ประชาสังคม", "ภาคประชาสังคม", "ประชาชน", "ภาคประชาชน", "ชุมชน",
        "องค์กรชุมชน", "ประชาสังคมและชุมชน", "ภาคประชาสังคมและชุมชน",
    ),
}

ROLE_ALIASES = {
    "voting": (
        "voting", "voting delegate", "delegate", "ผู้แทนหลัก", "ผู้แทน",
        "ผู้มีสิทธิออกเสียง", "ผู้มีสิทธิ์ออกเสียง", "หลัก",
    ),
    "alternate": ("alternate", "ผู้แทนสำรอง", "สำรอง"),
    "observer": ("observer", "ผู้สังเกตการณ์", "สังเกตการณ์"),
}

FORMULA_STARTS = ("=", "+", "-", "@")
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()\-./]*$")
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
ROOM_RE = re.compile(
    r"^(?:ห้องย่อย|ห้อง|room|breakout room)?\s*(?:ที่|no\.?)?\s*(\d+)(?:\.0+)?$"
)


def _key(text: str) -> str:
    """Compare headers and values without case, spaces or underscores."""
    text = unicodedata.normalize("NFC", text).casefold()
    return re.sub(r"[\s_]+", "", text)


def _index(aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {_key(alias): name for name, names in aliases.items() for alias in names}


_HEADERS = _index(HEADER_ALIASES)
_SECTORS = _index(SECTOR_ALIASES)
_ROLES = _index(ROLE_ALIASES)


class ImportFileError(ValueError):
    """The file as a whole cannot be read; ``message`` says why, translated."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass
class Table:
    """The file reduced to text: header mapping and raw cells per line."""

    rows: list[tuple[int, dict[str, str]]]  # (line, {field: raw text})
    ignored_columns: list[str] = field(default_factory=list)

    def to_payload(self) -> dict:
        """JSON-serialisable, to carry from the preview to the confirmation."""
        return {"rows": [[line, cells] for line, cells in self.rows],
                "ignored": self.ignored_columns}

    @classmethod
    def from_payload(cls, payload: dict) -> "Table":
        rows = [(int(line), {k: str(v) for k, v in cells.items() if k in FIELDS})
                for line, cells in payload["rows"]]
        return cls(rows=rows, ignored_columns=list(payload.get("ignored", [])))


@dataclass(frozen=True)
class ImportRow:
    """One valid line: clean values, sector and role as model values."""

    line: int
    organisation: str
    organisation_en: str
    short_name: str
    sector: str
    delegate: str
    delegate_en: str
    role: str
    room: int
    phone: str
    email: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class RowError:
    line: int
    message: str  # translated, in the language of the request
    column: str = ""


# --- Reading the file -------------------------------------------------------------


def read_table(data: bytes, filename: str = "") -> Table:
    """The file's header and rows as text. Raises ``ImportFileError``.

    The format is decided by the content (an XLSX is a zip holding a workbook;
    a CSV is text in one of the accepted encodings), and the name must agree
    that it is a spreadsheet (.csv, .txt, .xlsx or no extension).
    """
    if not data:
        raise ImportFileError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise ImportFileError(_too_large())
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext not in ("", "csv", "txt", "xlsx"):
        raise ImportFileError(_("Upload a CSV or XLSX file."))
    if data.startswith(b"PK\x03\x04"):
        return _table(_xlsx_cells(data))
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _("This is an old Excel (.xls) file. Save it as XLSX or CSV and upload "
              "again.")
        )
    return _table(_csv_cells(decode_text(data)))


def decode_text(data: bytes) -> str:
    """CSV bytes as text: UTF-8 (BOM or not), UTF-16 with BOM, or cp874."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    elif b"\x00" in data[:4096]:
        # UTF-16 without a BOM; anything else with NUL bytes is not text.
        candidates = ["utf-16-le"] if data[1:2] == b"\x00" else []
    else:
        candidates = ["utf-8", "cp874"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, UnicodeError):
            continue
        if _looks_like_text(text):
            return text
    raise ImportFileError(
        _("The file could not be read as a CSV or XLSX spreadsheet. Save it from "
          "your spreadsheet as \"CSV UTF-8\" or as XLSX and upload again.")
    )


def _looks_like_text(text: str) -> bool:
    controls = sum(
        1 for ch in text[:20000]
        if unicodedata.category(ch) == "Cc" and ch not in "\r\n\t\x0b\x0c"
    )
    return controls == 0


def _csv_cells(text: str):
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for line, row in enumerate(reader, start=1):
            yield line, row[:MAX_COLUMNS]
    except csv.Error as exc:
        raise ImportFileError(
            _("The CSV file is malformed near line %(line)s.")
            % {"line": reader.line_num}
        ) from exc


def _xlsx_cells(data: bytes):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ImportFileError(_("Upload a CSV or XLSX file.")) from exc
    if "xl/workbook.xml" not in names:
        raise ImportFileError(_("Upload a CSV or XLSX file."))
    if unpacked > MAX_XLSX_UNPACKED:
        raise ImportFileError(_too_large())
    from openpyxl import load_workbook  # only needed for XLSX

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        for line, row in enumerate(rows, start=1):
            if line > MAX_SHEET_LINES:  # blank rows too: stop reading long before
                raise ImportFileError(_too_many_rows())
            yield line, [_xlsx_text(value) for value in row]
        workbook.close()
    except ImportFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - any damage inside the workbook
        raise ImportFileError(
            _("The XLSX file could not be read. Save it again from your spreadsheet.")
        ) from exc


def _xlsx_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _table(cells) -> Table:
    header: list[str | None] | None = None
    ignored: list[str] = []
    rows: list[tuple[int, dict[str, str]]] = []
    for line, row in cells:
        if not any(str(c).strip() for c in row):
            continue
        if header is None:
            header, ignored = _map_header(row)
            continue
        rows.append((line, {
            name: row[i] if i < len(row) else ""
            for i, name in enumerate(header) if name is not None
        }))
        if len(rows) > MAX_ROWS:
            raise ImportFileError(_too_many_rows())
    if header is None:
        raise ImportFileError(_("The file is empty."))
    if not rows:
        raise ImportFileError(_("The file has a header but no rows."))
    return Table(rows=rows, ignored_columns=ignored)


def _too_large() -> str:
    return _(
        "The file is too large (more than %(mb)s MB). Split it into smaller files."
    ) % {"mb": MAX_BYTES // (1024 * 1024)}


def _too_many_rows() -> str:
    return _("The file has more than %(max)s rows. Split it into smaller files.") % {
        "max": MAX_ROWS
    }


def _map_header(row: list[str]) -> tuple[list[str | None], list[str]]:
    header: list[str | None] = []
    ignored: list[str] = []
    for raw in row:
        text = str(raw).strip().lstrip("\ufeff")
        name = _HEADERS.get(_key(text))
        if name is not None and name in header:
            raise ImportFileError(
                _("The column \"%(column)s\" appears twice in the header.")
                % {"column": text}
            )
        header.append(name)
        if name is None and text:
            ignored.append(text)
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ImportFileError(
            ngettext_lazy(
                "The header has no column %(columns)s. The first row must name the "
                "columns: organisation, sector, delegate, role, room (phone, email "
                "and the English names are optional).",
                "The header has no columns %(columns)s. The first row must name the "
                "columns: organisation, sector, delegate, role, room (phone, email "
                "and the English names are optional).",
                len(missing),
            ) % {"columns": ", ".join(missing)}
        )
    return header, ignored


# --- Checking the rows ------------------------------------------------------------


def validate_rows(
    table: Table, *, room_numbers: set[int]
) -> tuple[list[ImportRow], list[RowError]]:
    """Every row checked on its own and against the rows before it.

    ``room_numbers`` are the assembly's breakout rooms. Returns the valid rows
    and the errors (several per line possible); the file is good only when
    there are no errors.
    """
    valid: list[ImportRow] = []
    errors: list[RowError] = []
    organisations: dict[str, ImportRow] = {}
    delegates: dict[tuple[str, str], int] = {}
    voting: dict[str, int] = {}
    for line, cells in table.rows:
        row, row_errors = _check_row(line, cells, room_numbers)
        if row is None:
            errors.extend(row_errors)
            continue
        org_key = _key(row.organisation)
        first = organisations.setdefault(org_key, row)
        # One organisation, one spelling: the first row's.
        row = replace(row, organisation=first.organisation)
        if first.sector != row.sector:
            row_errors.append(RowError(line, _(
                "%(organisation)s has sector \"%(sector)s\" here but a different "
                "sector on line %(first)s."
            ) % {"organisation": row.organisation, "sector": cells.get("sector", ""),
                 "first": first.line}, "sector"))
        if first.room != row.room:
            row_errors.append(RowError(line, _(
                "%(organisation)s is in room %(room)s here but in room %(first_room)s "
                "on line %(first)s. A partner sits in one breakout room."
            ) % {"organisation": row.organisation, "room": row.room,
                 "first_room": first.room, "first": first.line}, "room"))
        delegate_key = (org_key, _key(row.delegate))
        if delegate_key in delegates:
            row_errors.append(RowError(line, _(
                "%(delegate)s of %(organisation)s is already on line %(first)s."
            ) % {"delegate": row.delegate, "organisation": row.organisation,
                 "first": delegates[delegate_key]}, "delegate"))
        else:
            delegates[delegate_key] = line
        if row.role == "voting":
            if org_key in voting:
                row_errors.append(RowError(line, _(
                    "%(organisation)s already has a voting delegate on line %(first)s. "
                    "An organisation has one voting delegate; make the others "
                    "alternates or observers."
                ) % {"organisation": row.organisation, "first": voting[org_key]},
                    "role"))
            else:
                voting[org_key] = line
        if row_errors:
            errors.extend(row_errors)
        else:
            valid.append(row)
    return valid, errors


def _check_row(line: int, cells: dict[str, str], room_numbers: set[int]):
    errors: list[RowError] = []
    clean: dict[str, str] = {}
    for name in FIELDS:
        raw = cells.get(name, "")
        value = " ".join(unicodedata.normalize("NFC", str(raw)).split())
        if value.startswith(FORMULA_STARTS):
            if not (name == "phone" and PHONE_RE.match(value)):
                errors.append(RowError(line, _(
                    "The %(column)s cell starts with \"%(char)s\", which a spreadsheet "
                    "reads as a formula. Remove the sign or the formula."
                ) % {"column": COLUMN_LABELS[name], "char": value[:1]}, name))
                continue
        if "\x00" in value:
            value = value.replace("\x00", "")
        limit = MAX_LENGTH.get(name)
        if limit and len(value) > limit:
            errors.append(RowError(line, _(
                "The %(column)s is too long: %(length)s characters, at most %(max)s."
            ) % {"column": COLUMN_LABELS[name], "length": len(value), "max": limit},
                name))
            continue
        clean[name] = value
    if "organisation" in clean and not clean["organisation"]:
        errors.append(RowError(line, _("The organisation's name is missing."),
                               "organisation"))
    if "delegate" in clean and not clean["delegate"]:
        errors.append(RowError(line, _("The delegate's name is missing."), "delegate"))
    sector = role = room = None
    if "sector" in clean:
        sector = _SECTORS.get(_key(clean["sector"]))
        if sector is None:
            errors.append(RowError(line, _(
                "Unknown sector \"%(value)s\". Use state, academic, private or civil "
                "(ภาครัฐ, ภาควิชาการ, ภาคเอกชน, ภาคประชาสังคม)."
            ) % {"value": clean["sector"]}, "sector"))
    if "role" in clean:
        role = _ROLES.get(_key(clean["role"]))
        if role is None:
            errors.append(RowError(line, _(
                "Unknown role \"%(value)s\". Use voting, alternate or observer "
                "(ผู้แทนหลัก, ผู้แทนสำรอง, ผู้สังเกตการณ์)."
            ) % {"value": clean["role"]}, "role"))
    if "room" in clean:
        room = room_number(clean["room"])
        if room is None or room not in room_numbers:
            errors.append(RowError(line, _(
                "Unknown room \"%(value)s\". Use the number of a breakout room of "
                "this assembly: %(rooms)s."
            ) % {"value": clean["room"],
                 "rooms": ", ".join(str(n) for n in sorted(room_numbers)) or "–"},
                "room"))
    if clean.get("email"):
        try:
            validate_email(clean["email"])
        except ValidationError:
            errors.append(RowError(line, _(
                "\"%(value)s\" is not an email address."
            ) % {"value": clean["email"]}, "email"))
    if errors:
        return None, errors
    return ImportRow(
        line=line, organisation=clean["organisation"],
        organisation_en=clean["organisation_en"], short_name=clean["short_name"],
        sector=sector, delegate=clean["delegate"], delegate_en=clean["delegate_en"],
        role=role, room=room, phone=clean["phone"], email=clean["email"],
    ), []


def room_number(text: str) -> int | None:
    """``"2"``, ``"2.0"``, ``"ห้อง 2"``, ``"Room 2"``, ``"๒"`` → 2; else None."""
    match = ROOM_RE.match(text.translate(THAI_DIGITS).strip().casefold())
    return int(match.group(1)) if match else None


def parse_file(data: bytes, filename: str, *, room_numbers: set[int]):
    """``read_table`` then ``validate_rows``; raises ``ImportFileError``."""
    table = read_table(data, filename)
    rows, errors = validate_rows(table, room_numbers=room_numbers)
    return table, rows, errors
