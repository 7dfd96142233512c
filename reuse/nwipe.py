"""Read an nwipe (or ShredOS, which runs nwipe) log into plain data. A pure function: no database.

What the log holds, as nwipe writes it (src/logging.c, src/device.c, src/options.c):
- `Found /dev/sda,  ATA, <model>, 320 GB, S/N=<serial>` for every drive it enumerated, including
  drives the operator then left unselected (the boot stick): only drives in the summary tables
  were wiped.
- dmidecode's `system-serial-number` / `system-uuid` (the laptop's own identity), the options in
  force (banner with the nwipe version, method, rounds, verify, final blank pass), per-drive start,
  verify and finish lines.
- Two summary tables written when the run ends: Error Summary (pass, verification and fdatasync
  error counts) and Drive Status (` Erased `, `-FAILED-`, `UABORTED` ...), whose model and serial
  column is cut to 17 and 20 characters, so full serials come from the `Found` lines.
A log that stops before both tables and nwipe's closing line is partial: it says nothing about
the outcome, so `NwipeLogError` is raised rather than a guess.

Parsing takes time in proportion to the log's size, whatever it holds: lines are cut at `MAX_LINE`
characters (nwipe writes none near that long), rows and the lines with free text in them are split on
their separators rather than matched by patterns that could backtrack, and what patterns remain match
runs of distinct character classes only.
"""

import datetime
import re
from dataclasses import dataclass, field

__all__ = ["NwipeDrive", "NwipeLog", "NwipeLogError", "parse_nwipe_log", "METHODS"]

# nwipe's method labels (src/method.c, every release since 0.2x) -> NIST SP 800-88 category and
# technique. "Quick Erase" is the old label of "Fill With Zeros".
OVERWRITE = ("clear", "overwrite")
METHODS: dict[str, tuple[str, str]] = {
    "Fill With Zeros": OVERWRITE,
    "Quick Erase": OVERWRITE,
    "Fill With Ones": OVERWRITE,
    "PRNG Stream": OVERWRITE,
    "DoD Short": OVERWRITE,
    "DoD 5220.22-M": OVERWRITE,
    "Gutmann Wipe": OVERWRITE,
    "RCMP TSSIT OPS-II": OVERWRITE,
    "HMG IS5 Enhanced": OVERWRITE,
    "Bruce Schneier 7-Pass": OVERWRITE,
    "BMB21-2019": OVERWRITE,
    "Secure Erase (ATA/NVMe)": ("purge", "block_erase"),
    "Secure Erase + PRNG + Verify": ("purge", "block_erase"),
    "Sanitize Crypto Erase (ATA/SCSI/NVMe)": ("purge", "crypto_erase"),
    "Sanitize Block Erase (ATA/SCSI/NVMe)": ("purge", "block_erase"),
    "Sanitize Overwrite (ATA/SCSI/NVMe)": ("purge", "sanitize"),
}
# Read-only checks of an earlier wipe: they erase nothing.
VERIFY_ONLY_METHODS = ("Verify Zeros", "Verify Ones")

# What dmidecode prints when the maker left the field empty: not an identity.
PLACEHOLDER_SERIALS = {
    "",
    "not specified",
    "to be filled by o.e.m.",
    "default string",
    "system serial number",
    "chassis serial number",
    "none",
    "not applicable",
    "n/a",
    "0",
    "00000000",
    "0123456789",
    "123456789",
}

MAX_LINE = 1000  # characters: nwipe's longest line (a Found line with a long model) is well under 200
STAMP = r"\[(\d{4})/(\d{2})/(\d{2}) (\d{2}):(\d{2}):(\d{2})\]"
LOG_LINE = re.compile(STAMP + r"\s+(\w+):\s?(.*)$")
DEVICE_PATH = re.compile(r"/dev/\S+")
SIZE = re.compile(r"[\d.]+ ?[KMGTPE]?i?B")
HAS_SERIAL = re.compile(r"^(/dev/\S+) has serial number (.*)$")
GEOMETRY = re.compile(r"^(/dev/\S+), sect/blk/dev \d+/\d+/(\d+)$")
DMI = re.compile(r"^(system-serial-number|system-uuid|system-manufacturer|system-product-name) = (.*)$")
OPTION = re.compile(r"^\s+(banner|method|rounds|verify|prng)\s+= (.*)$")
INVOKING = re.compile(r"^Invoking method '[^']*' on (/dev/\S+)$")
STARTING = re.compile(r"^Starting round \d+ of \d+ on (/dev/\S+)$")
VERIFIED = re.compile(r"^Verified pass (\d+) of (\d+), round (\d+) of (\d+), on '(/dev/\S+)'\.?$")
FINISHED = re.compile(r"^Finished final round \d+ of \d+ on (/dev/\S+)$")
ROW_NAME = re.compile(r"[! ] *(\S+)")  # the first cell of a table row: the flag, then the device's name
COUNT = re.compile(r"\d+")
DURATION = re.compile(r"(\d+):(\d\d):(\d\d)")
TOTAL = re.compile(STAMP + r" Total Throughput ")
PASSES = re.compile(r"(\d+)R\+(N?B)\+(\w+)")
BANNER_WIDTH = 80
OUTCOMES = {
    "Nwipe successfully completed": "completed",
    "Nwipe exited with errors": "errors",
    "Nwipe was aborted by the user": "aborted",
}
STATUS_WORDS = {
    "Erased": "Erased",
    "-FAILED-": "FAILED",
    "FAILED": "FAILED",
    "UABORTED": "ABORTED",
    "INSANITY": "INSANITY",
}


class NwipeLogError(ValueError):
    """The text is not a complete nwipe log. `problems` name the lines concerned."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class NwipeDrive:
    name: str  # as in the summary tables: "sda", "nvme0n1"
    bus: str  # "ATA", "NVME", "USB" ...
    model: str
    serial: str
    size_bytes: int | None
    status: str  # "Erased", "FAILED", "ABORTED", "INSANITY"
    pass_errors: int
    verify_errors: int
    fdatasync_errors: int
    started_at: datetime.datetime
    ended_at: datetime.datetime
    final_pass_verified: bool  # nwipe read back the last pass of the last round without a mismatch
    throughput: str
    table_duration: datetime.timedelta

    @property
    def path(self) -> str:
        return f"/dev/{self.name}"

    @property
    def erased(self) -> bool:
        """nwipe's own verdict, and no errors of any kind counted against the drive."""
        return self.status == "Erased" and not (self.pass_errors or self.verify_errors or self.fdatasync_errors)


@dataclass(frozen=True)
class NwipeLog:
    system_serial: str  # "" when dmidecode gave a placeholder such as "Not Specified"
    system_uuid: str
    system_manufacturer: str
    system_product: str
    banner: str
    nwipe_version: str
    shredos_version: str
    method: str
    category: str  # NIST SP 800-88: clear / purge
    technique: str
    rounds: int
    verify: str  # "off", "last", "all"
    final_blank: bool
    prng: str
    outcome: str  # "completed", "errors", "aborted"
    finished_at: datetime.datetime
    drives: tuple[NwipeDrive, ...]
    not_wiped: tuple[str, ...] = ()  # drives found but not selected, e.g. "/dev/sdb (USB, S/N=...)"
    warnings: tuple[str, ...] = field(default=())

    @property
    def tool(self) -> str:
        return f"nwipe (ShredOS {self.shredos_version})" if self.shredos_version else "nwipe"

    def verification_passed(self, drive: NwipeDrive) -> bool:
        """nwipe read the final pass back without a single mismatch."""
        return self.verify != "off" and drive.erased and drive.final_pass_verified

    @property
    def verification_method(self) -> str:
        if self.verify == "off":
            return ""
        which = "every pass" if self.verify == "all" else "the last pass"
        return f"nwipe read back {which} and compared it with what was written"


@dataclass
class _DriveFacts:
    bus: str = ""
    model: str = ""
    serial: str = ""
    size_bytes: int | None = None
    started_at: datetime.datetime | None = None
    ended_at: datetime.datetime | None = None
    final_pass_verified: bool = False
    found_line: int = 0


def _stamp(groups, tz) -> datetime.datetime:
    year, month, day, hour, minute, second = (int(g) for g in groups[:6])
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=tz)


def _parse_banner(banner: str) -> tuple[str, str]:
    """(nwipe version, ShredOS version). ShredOS sets the banner to `ShredOS v2021.08.2_22_x86-64_0.32.023`,
    its own release, architecture and the nwipe version; plain nwipe writes `nwipe 0.35`."""
    if banner.startswith("ShredOS"):
        parts = banner.removeprefix("ShredOS").strip().split("_")
        release = "_".join(p for p in parts[:-1] if not re.fullmatch(r"x86[-_]64|i[3-6]86|aarch64|arm\w*|64", p))
        return parts[-1] if len(parts) > 1 else "", release or banner
    match = re.match(r"nwipe\s+v?(\S+)", banner)
    return (match.group(1) if match else ""), ""


class _Reader:
    """One pass over the lines, collecting facts and the problems that make the log unusable."""

    def __init__(self, text: str, tz):
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.tz = tz
        self.problems: list[str] = []
        self.warnings: list[str] = []
        self.dmi: dict[str, str] = {}
        self.options: dict[str, str] = {}
        self.final_blank: bool | None = None
        self.drives: dict[str, _DriveFacts] = {}
        self.error_rows: dict[str, tuple[int, int, int, int]] = {}
        self.status_rows: dict[str, tuple[str, str, datetime.timedelta, str, int]] = {}
        self.total: tuple | None = None
        self.outcome = ""
        self.last_stamp: datetime.datetime | None = None

    def drive(self, path: str) -> _DriveFacts:
        return self.drives.setdefault(path.removeprefix("/dev/"), _DriveFacts())

    def read(self):
        index = 0
        while index < len(self.lines):
            line = self.lines[index].rstrip()
            if len(line) > MAX_LINE:
                self.problems.append(
                    f"line {index + 1} is {len(line):,} characters long: nwipe writes no line longer than {MAX_LINE:,}"
                )
                index += 1
                continue
            if "Error Summary" in line and line.startswith("*"):
                index = self._table(index, self._error_row, "Error Summary")
            elif "Drive Status" in line and line.startswith("*"):
                index = self._table(index, self._status_row, "Drive Status")
            else:
                self._line(index + 1, line)
                index += 1

    def _line(self, number: int, line: str):
        match = LOG_LINE.match(line)
        if not match:
            return
        self.last_stamp = at = _stamp(match.groups(), self.tz)
        message = match.group(8)
        if found := _found(message):
            path, bus, model, serial = found
            facts = self.drive(path)
            facts.bus, facts.model, facts.found_line = bus, model, number
            facts.serial = facts.serial or serial
        elif has_serial := HAS_SERIAL.match(message):
            facts = self.drive(has_serial.group(1))
            facts.serial = facts.serial or has_serial.group(2).strip()
        elif geometry := GEOMETRY.match(message):
            self.drive(geometry.group(1)).size_bytes = int(geometry.group(2))
        elif dmi := DMI.match(message):
            self.dmi[dmi.group(1)] = dmi.group(2).strip()
        elif option := OPTION.match(message):
            self.options[option.group(1)] = option.group(2).strip()
        elif "perform a final blank pass" in message:
            self.final_blank = "do not" not in message
        elif started := (INVOKING.match(message) or STARTING.match(message)):
            facts = self.drive(started.groups()[-1])
            facts.started_at = facts.started_at or at
        elif verified := VERIFIED.match(message):
            pass_no, passes, round_no, rounds, path = verified.groups()
            if pass_no == passes and round_no == rounds:
                self.drive(path).final_pass_verified = True
        elif finished := FINISHED.match(message):
            self.drive(finished.group(1)).ended_at = at
        else:
            for prefix, outcome in OUTCOMES.items():
                if message.startswith(prefix):
                    self.outcome = outcome

    def _table(self, start: int, row_reader, title: str) -> int:
        """Read a summary table from its title line to its closing row of asterisks."""
        index = start + 3  # title, column headings, dashes
        while index < len(self.lines):
            line = self.lines[index].rstrip()
            if line.startswith("*") and set(line) == {"*"}:
                return index + 1
            if len(line) > MAX_LINE:
                self.problems.append(f"line {index + 1}: this {title} row is {len(line):,} characters long")
            elif line and not set(line) <= {"-"}:
                row_reader(index + 1, line)
            index += 1
        self.problems.append(f"line {len(self.lines)}: the log ends inside the {title} table, so it is incomplete")
        return index

    def _error_row(self, number: int, line: str):
        cells = line.split("|")
        name = ROW_NAME.fullmatch(cells[0].rstrip())
        counts = [cell.strip() for cell in cells[1:]]
        if name is None or len(counts) != 3 or not all(COUNT.fullmatch(count) for count in counts):
            self.problems.append(f"line {number}: cannot read this Error Summary row: {line.strip()[:60]!r}")
            return
        self.error_rows[name.group(1)] = (int(counts[0]), int(counts[1]), int(counts[2]), number)

    def _status_row(self, number: int, line: str):
        if total := TOTAL.match(line):
            throughput, _, rest = line[total.end() :].partition(", ")
            method, _, passes = rest.rpartition(", ")
            passes_match = PASSES.fullmatch(passes.strip())
            if method and passes_match:
                self.total = (*total.groups(), throughput, method, *passes_match.groups())
                self.last_stamp = _stamp(total.groups(), self.tz)
                return
        cells = line.split("|", 4)  # the model and serial, last, may hold a "|" of their own
        name = ROW_NAME.fullmatch(cells[0].rstrip())
        duration_match = DURATION.fullmatch(cells[3].strip()) if len(cells) == 5 else None
        if name is None or duration_match is None or not cells[1].strip():
            self.problems.append(f"line {number}: cannot read this Drive Status row: {line.strip()[:60]!r}")
            return
        name_text, status, throughput, model_serial = name.group(1), cells[1], cells[2], cells[4]
        hours, minutes, seconds = duration_match.groups()
        word = STATUS_WORDS.get(status.strip())
        if word is None:
            self.problems.append(f"line {number}: unknown drive status {status.strip()[:20]!r} for {name_text}")
            return
        duration = datetime.timedelta(hours=int(hours), minutes=int(minutes), seconds=int(seconds))
        self.status_rows[name_text] = (word, throughput.strip(), duration, model_serial.strip(), number)


def _found(message: str) -> tuple[str, str, str, str] | None:
    """`Found /dev/sda,  ATA, <model, which may hold commas>, 320 GB, S/N=<serial>` as (path, bus, model,
    serial); None for any other message. Split on its commas, from both ends."""
    if not message.startswith("Found /dev/"):
        return None
    described, marker, serial = message.removeprefix("Found ").partition(", S/N=")
    if not marker:
        described, marker, serial = message.removeprefix("Found ").partition(",S/N=")
    parts = described.split(",")
    if not marker or len(parts) < 4 or not DEVICE_PATH.fullmatch(parts[0]) or not SIZE.fullmatch(parts[-1].strip()):
        return None
    return parts[0], parts[1].strip(), ",".join(parts[2:-1]).strip(), serial.strip()


def parse_nwipe_log(text: str, *, tz: datetime.tzinfo = datetime.UTC) -> NwipeLog:
    """Parse the text of an nwipe/ShredOS log. nwipe stamps lines in the wiping machine's clock with no
    zone, so `tz` says which zone that clock kept. Raises NwipeLogError listing every problem found."""
    if "\x00" in text:
        raise NwipeLogError(["this is not a text file (it contains NUL bytes)"])
    reader = _Reader(text, tz)
    reader.read()
    problems = reader.problems
    if not reader.drives and not reader.status_rows:
        raise NwipeLogError(["no nwipe drive lines found: is this an nwipe or ShredOS log?"])
    if not reader.error_rows and "Error Summary" not in text:
        problems.append("the Error Summary table is missing: the log is partial (copied before nwipe finished?)")
    if not reader.status_rows and "Drive Status" not in text:
        problems.append("the Drive Status table is missing: the log is partial (copied before nwipe finished?)")
    if reader.status_rows and reader.total is None:
        problems.append("the Drive Status table has no Total Throughput line: the log is partial")
    if not reader.outcome:
        problems.append(
            'nwipe\'s closing line ("Nwipe successfully completed", "exited with errors" or '
            '"aborted") is missing: the log is partial'
        )
    method = reader.options.get("method", "")
    if not method:
        problems.append('the wipe method is not in the log (no "method =" option line)')
    elif method.startswith(VERIFY_ONLY_METHODS):
        problems.append(f"the method is {method!r}: a read-only check of an earlier wipe, not a wipe")
    elif method not in METHODS:
        problems.append(f"unknown nwipe method {method!r}")
    rounds_text = reader.options.get("rounds", "")
    if not rounds_text.isdigit():
        problems.append(f"the number of rounds is missing or unreadable ({rounds_text!r})")
    drives = _drives(reader, problems)
    if reader.last_stamp is None:
        problems.append("the log has no time-stamped lines")
    if problems or reader.last_stamp is None:
        raise NwipeLogError(problems)

    verify_option = reader.options.get("verify", "0")
    verify = {"0": "off", "1": "last", "2": "all"}.get(verify_option[:1], "off")
    nwipe_version, shredos_version = _parse_banner(reader.options.get("banner", ""))
    system_serial = reader.dmi.get("system-serial-number", "")
    if system_serial.strip().lower() in PLACEHOLDER_SERIALS:
        system_serial = ""
    category, technique = METHODS[method]
    return NwipeLog(
        system_serial=system_serial,
        system_uuid=reader.dmi.get("system-uuid", ""),
        system_manufacturer=reader.dmi.get("system-manufacturer", ""),
        system_product=reader.dmi.get("system-product-name", ""),
        banner=reader.options.get("banner", ""),
        nwipe_version=nwipe_version,
        shredos_version=shredos_version,
        method=method,
        category=category,
        technique=technique,
        rounds=int(rounds_text),
        verify=verify,
        final_blank=bool(reader.final_blank),
        prng=reader.options.get("prng", ""),
        outcome=reader.outcome,
        finished_at=reader.last_stamp,
        drives=tuple(drives),
        not_wiped=tuple(
            f"/dev/{name} ({facts.bus or 'unknown bus'}, {facts.model or 'unknown model'}, S/N={facts.serial or '?'})"
            for name, facts in reader.drives.items()
            if name not in reader.status_rows and facts.found_line
        ),
        warnings=tuple(reader.warnings),
    )


def _drives(reader: _Reader, problems: list[str]) -> list[NwipeDrive]:
    """Join each drive's table rows with its own log lines, checking that they agree."""
    drives = []
    for name in sorted(reader.error_rows.keys() - reader.status_rows.keys()):
        problems.append(f"line {reader.error_rows[name][3]}: {name} is in the Error Summary but not in Drive Status")
    for name, (status, throughput, duration, model_serial, number) in reader.status_rows.items():
        facts = reader.drives.get(name)
        if name not in reader.error_rows:
            problems.append(f"line {number}: {name} is in Drive Status but not in the Error Summary")
            continue
        if facts is None or not facts.found_line:
            problems.append(f"line {number}: {name} is in Drive Status but nwipe never reported finding it")
            continue
        # The table's column is "<model cut to 17>/<serial cut to 20>"; the full serial must start with it.
        table_serial = model_serial.rpartition("/")[2].strip()
        if facts.serial and table_serial and not facts.serial.startswith(table_serial):
            problems.append(
                f"line {number}: {name} shows serial {table_serial!r} in Drive Status but "
                f"{facts.serial!r} where it was found (line {facts.found_line})"
            )
            continue
        pass_errors, verify_errors, sync_errors, _ = reader.error_rows[name]
        if status == "Erased" and facts.ended_at is None:
            problems.append(f"line {number}: {name} is marked Erased but the log has no line saying it finished")
            continue
        ended = facts.ended_at or reader.last_stamp
        if ended is None:
            continue  # no time-stamped line at all: reported once for the whole log
        if facts.started_at and facts.ended_at:
            logged = facts.ended_at - facts.started_at
            if abs((logged - duration).total_seconds()) > 60:
                reader.warnings.append(
                    f"Drive Status gives {_hms(duration)} for {name}, but its start and finish lines are "
                    f"{_hms(logged)} apart; Relay records the times of those lines."
                )
        drives.append(
            NwipeDrive(
                name=name,
                bus=facts.bus,
                model=facts.model,
                serial=facts.serial,
                size_bytes=facts.size_bytes,
                status=status,
                pass_errors=pass_errors,
                verify_errors=verify_errors,
                fdatasync_errors=sync_errors,
                started_at=facts.started_at or ended,
                ended_at=ended,
                final_pass_verified=facts.final_pass_verified,
                throughput=throughput,
                table_duration=duration,
            )
        )
    return drives


def _hms(delta: datetime.timedelta) -> str:
    seconds = int(delta.total_seconds())
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
