"""What both file formats share: finding the columns in the heading row, and one planned row per device."""

from dataclasses import dataclass, field

from reuse.intake.reader import Problem, Table, column_letter, column_name, normalise_heading
from reuse.models import DeviceKind


@dataclass
class RowPlan:
    """One data row of the file: the device it describes, or why it cannot be imported."""

    line: int
    fields: dict
    media: list[dict] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    existing: str = ""  # the asset tag of the device this row was imported as before

    @property
    def state(self) -> str:
        if self.errors:
            return "error"
        return "existing" if self.existing else "new"

    @property
    def kind_label(self) -> str:
        kind = self.fields.get("kind")
        return DeviceKind(kind).label if kind else ""

    @property
    def serial_or_imei(self) -> str:
        return self.fields.get("serial") or self.fields.get("imei") or ""

    def get(self, key: str, default=""):
        return self.fields.get(key, default)


@dataclass
class Layout:
    """Which column of this file holds each field Relay reads."""

    header: list[str]
    index: dict[str, int]
    ignored: list[str]
    problems: list[Problem]

    def label(self, key: str) -> str:
        return column_name(self.header, self.index[key]) if key in self.index else ""


def resolve_layout(table: Table, spec: dict[str, tuple[str, ...]]) -> Layout:
    """Map each key of `spec` (key -> accepted headings, normalised) to its column; report clashes.

    A heading that appears twice is an error, since Relay cannot know which copy is right; a column with
    no heading is harmless while empty (Excel leaves them) and an error as soon as it holds a value.
    """
    lookup = {heading: key for key, headings in spec.items() for heading in headings}
    positions: dict[str, list[int]] = {}
    ignored, blank = [], []
    for index, heading in enumerate(table.header):
        normal = normalise_heading(heading)
        if not normal:
            blank.append(index)
        elif normal in lookup:
            positions.setdefault(lookup[normal], []).append(index)
        else:
            ignored.append(index)
    problems = []
    for indexes in positions.values():
        first = column_letter(indexes[0])
        for other in indexes[1:]:
            problems.append(
                Problem(
                    table.header_line,
                    column_name(table.header, other),
                    f"the heading “{table.header[other]}” is also the heading of column {first}: "
                    "delete one of the two columns so Relay knows which to read",
                )
            )
    for index in blank:
        for line, cells in table.rows:
            if cells[index].strip():
                problems.append(
                    Problem(
                        line,
                        column_name(table.header, index),
                        f"“{cells[index].strip()}” is in a column with no heading: "
                        "give the column a heading or delete it",
                    )
                )
    return Layout(
        header=table.header,
        index={k: v[0] for k, v in positions.items()},
        ignored=[column_name(table.header, i) for i in ignored],
        problems=problems,
    )
