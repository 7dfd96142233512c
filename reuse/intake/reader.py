"""Reading a CSV that came out of a spreadsheet or an asset register, without trusting it.

Accepts UTF-8 with or without a byte-order mark and CRLF, LF or old-Mac CR-only line endings. Every
problem names the line of the file it is on (counted as a text editor counts them: the heading row is
line 1) and the column (heading and spreadsheet letter), so a technician can find it in Excel.
"""

import codecs
import csv
import datetime
import io
import re
from dataclasses import dataclass, field

NOT_UTF8 = re.compile("[\udc80-\udcff]+")
# How Excel shows a long number it has rounded: "6.37702E+15". The original digits are gone for good.
EXCEL_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?E\+\d+$", re.IGNORECASE)
MAX_ROWS = 50_000


@dataclass(frozen=True, order=True)
class Problem:
    line: int
    column: str
    message: str

    def __str__(self):
        where = f"Line {self.line}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


QUOTED = re.compile(r"“[^”]*”")


@dataclass
class ProblemGroup:
    """The same problem in the same column on several lines, told once (a broken export repeats itself)."""

    first: Problem
    lines: list[int]

    def __str__(self):
        if len(self.lines) == 1:
            return str(self.first)
        said, more = str(self.first).rstrip("."), len(self.lines) - 1
        return f"{said}. The same problem is on {more} more line{'s' if more > 1 else ''}: {spans(self.lines[1:])}."


def spans(lines: list[int], limit: int = 6) -> str:
    """[3, 4, 5, 9] -> "3 to 5, 9"; long lists end with "and 12 more"."""
    runs: list[list[int]] = []
    for line in lines:
        if runs and line == runs[-1][1] + 1:
            runs[-1][1] = line
        else:
            runs.append([line, line])
    parts = [f"{a} to {b}" if b > a + 1 else (f"{a}, {b}" if b == a + 1 else str(a)) for a, b in runs]
    if len(parts) > limit:
        hidden = sum(b - a + 1 for a, b in runs[limit:])
        return f"{', '.join(parts[:limit])} and {hidden} more"
    return ", ".join(parts)


def group_problems(problems: list[Problem]) -> list[ProblemGroup]:
    """Group problems that differ only in the quoted value and the line, keeping the order of first sight."""
    groups: dict[tuple[str, str], ProblemGroup] = {}
    for problem in sorted(problems):
        key = (problem.column, QUOTED.sub("“”", problem.message))
        if key in groups:
            groups[key].lines.append(problem.line)
        else:
            groups[key] = ProblemGroup(first=problem, lines=[problem.line])
    return list(groups.values())


def column_letter(index: int) -> str:
    """Spreadsheet column letters for a 0-based index: 0 is A, 25 is Z, 26 is AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def column_name(header: list[str], index: int) -> str:
    heading = header[index].strip() if index < len(header) else ""
    return f"{heading} ({column_letter(index)})" if heading else f"{column_letter(index)} (no heading)"


def normalise_heading(text: str) -> str:
    """'RAM (GB)', 'ram gb' and ' Ram-GB ' all become 'ram gb'."""
    return " ".join(re.sub(r"[^a-z0-9%]+", " ", text.lower()).split())


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line number where the row starts, cells padded to the header)
    problems: list[Problem] = field(default_factory=list)
    header_line: int = 1


def _decode(data: bytes) -> tuple[str, bool]:
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        # Keep the bad bytes as surrogates so each one can be reported at its own line and column.
        return data.decode("utf-8", "surrogateescape"), True


def read_table(data: bytes) -> Table:
    """Split `data` into a heading row and data rows with their line numbers. Blank rows are skipped."""
    text, has_bad_bytes = _decode(data)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    reader = csv.reader(io.StringIO(text, newline=""))
    table = Table(header=[], rows=[])
    line = 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not table.header:
                if any(c.strip() for c in cells):
                    table.header = [c.replace("\ufeff", "").strip() for c in cells]
                    table.header_line = start
                continue
            if not any(c.strip() for c in cells):
                continue
            if len(table.rows) >= MAX_ROWS:
                table.problems.append(Problem(start, "", f"The file has more than {MAX_ROWS:,} rows; split it."))
                break
            table.rows.append((start, cells))
    except csv.Error as exc:
        table.problems.append(Problem(line, "", f"This line cannot be read as CSV ({exc})."))
    if not table.header:
        table.problems.append(Problem(1, "", "The file is empty: it needs a heading row and at least one device."))
        return table
    width = len(table.header)
    for number, cells in table.rows:
        if len(cells) > width:
            extra = [i for i in range(width, len(cells)) if cells[i].strip()]
            if extra:
                table.problems.append(
                    Problem(
                        number,
                        column_letter(extra[0]),
                        f"this row has {len(cells)} cells but the heading row has {width}; "
                        "a comma inside a value needs the value in double quotes",
                    )
                )
            del cells[width:]
        elif len(cells) < width:
            cells.extend([""] * (width - len(cells)))
    if has_bad_bytes:
        _report_bad_bytes(table)
    return table


def _report_bad_bytes(table: Table):
    for number, cells in [(table.header_line, table.header), *table.rows]:
        for index, cell in enumerate(cells):
            if NOT_UTF8.search(cell):
                cells[index] = NOT_UTF8.sub("\ufffd", cell)
                table.problems.append(
                    Problem(
                        number,
                        column_name(table.header, index),
                        f"“{cells[index]}” contains characters that are not UTF-8. Save the file as "
                        "“CSV UTF-8 (comma delimited)” and upload it again.",
                    )
                )


# Dates ------------------------------------------------------------------------------------------------

DATE_FORMATS = {
    "uk": ("day/month/year", "dd/mm/yyyy"),
    "us": ("month/day/year", "mm/dd/yyyy"),
    "iso": ("year-month-day", "yyyy-mm-dd"),
}
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?: \d{1,2}:\d{2}(?::\d{2})?)?$")


class WrongDateFormat(ValueError):
    """A date that is wrong as the chosen format but right in another: the file uses the other one."""


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 4:
        return year
    # Two-digit years: the nearest century that does not put the date more than 20 years ahead.
    century_now = datetime.date.today().year // 100 * 100
    return century_now + year if century_now + year <= datetime.date.today().year + 20 else century_now - 100 + year


def _make(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str, date_format: str) -> tuple[datetime.date, bool]:
    """Read `text` as a date in `date_format` ("uk", "us" or "iso"); return it and whether it was ambiguous.

    yyyy-mm-dd is accepted whatever the format, because it cannot be misread. A date that is invalid as
    chosen but valid the other way round says so, rather than being silently swapped.
    """
    match = ISO_DATE.match(text)
    if match:
        value = _make(int(match[1]), int(match[2]), int(match[3]))
        if value is None:
            raise ValueError(f"“{text}” is not a real date")
        return value, False
    match = NUMERIC_DATE.match(text)
    if not match or date_format == "iso":
        raise ValueError(f"“{text}” is not a date in the form {DATE_FORMATS[date_format][1]}")
    first, second, year = int(match[1]), int(match[2]), _year(match[3])
    day, month = (first, second) if date_format == "uk" else (second, first)
    value = _make(year, month, day)
    if value is None:
        other = "us" if date_format == "uk" else "uk"
        if _make(year, day, month) is not None:
            raise WrongDateFormat(
                f"“{text}” is not a date as {DATE_FORMATS[date_format][0]}; it looks like a "
                f"{other.upper()} date ({DATE_FORMATS[other][1]}): choose the {other.upper()} date format"
            )
        raise ValueError(f"“{text}” is not a real date")
    return value, first <= 12 and second <= 12 and first != second


def excel_mangled(text: str) -> bool:
    return bool(EXCEL_NUMBER.match(text))


EXCEL_MESSAGE = (
    "“{}” is a number Excel has turned into scientific notation, and the original digits are lost. "
    "Take the value from the source system again and format the column as Text in Excel"
)
