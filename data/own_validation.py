"""Checking a learner's own dataset before anything trains on it: traffic speeds with a road
graph, or labelled reviews.

Every function takes the raw bytes of a file and either returns plain NumPy arrays and strings
or raises `OwnDataError` naming the file, the row and the column at fault. Files are read as
UTF-8 CSV with Python's `csv` module and numbers with a strict pattern: nothing is unpickled or
evaluated, and a file is never trusted to be what its name says.

Traffic files have the layout of the T-GCN `los_speed.csv` / `los_adj.csv` pair (METR-LA):
`speeds.csv` has a header row of sensor ids, then one row per 5-minute step, one column per
sensor, speeds >= 0 (0 = no reading); `adjacency.csv` is an N x N matrix of non-negative edge
weights without a header; the optional `locations.csv` has the columns sensor_id, latitude,
longitude (like DCRNN's `graph_sensor_locations.csv`). Reviews are a CSV with a header row
naming the columns `text` and `label` (0 = negative, 1 = positive).

Messages are English with named placeholders, marked with `N_` for the catalog: `str(error)` is the
English text (the CLI, the logs, the tests), and a page shows `error.text.translated(gettext)` in
its learner's language. The parts a message is made of (where in the file, "and 3 more cells like
it") are Messages too; the learner's own cells, sensor ids and file names are quoted as they are.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from data.traffic import HORIZON_STEPS, INPUT_STEPS, STEPS_PER_DAY
from i18n import N_, Message

MB = 1024 * 1024
# Sizes: the METR-LA week is 3.4 MB of speeds and 0.1 MB of graph; a 1,000-sensor graph written
# with long decimals is about 12 MB. The app keeps everything it trains on in memory on a shared
# server, so the limits stop at what a 2-core machine trains in minutes, not hours.
MAX_SPEEDS_BYTES = 20 * MB
MAX_ADJACENCY_BYTES = 20 * MB
MAX_LOCATIONS_BYTES = 1 * MB
MAX_REVIEWS_BYTES = 50 * MB  # 50,000 reviews of IMDB's average length (1,300 characters) is 65 MB
MAX_SENSORS = 1_000
MIN_SENSORS = 2  # a road graph needs an edge to be a graph
# steps x sensors: 2.4x the METR-LA week (2,016 x 207). The 12 -> 12 windows hold 24 copies of
# every value in float32, so this is at most ~100 MB of windows in the training process.
MAX_SPEED_VALUES = 1_000_000
# One day of 5-minute steps: the 70/10/20 chronological split then leaves the validation part
# 29 steps, enough for a few 12 -> 12 windows (24 steps each); 240 steps would leave exactly one.
MIN_STEPS = STEPS_PER_DAY
MAX_REVIEWS = 50_000
MIN_REVIEWS_PER_LABEL = 20  # so the 10 % validation and 20 % test splits hold both labels
MAX_REVIEW_CHARS = 20_000  # IMDB's longest review has 13,700 characters
MAX_NAME_CHARS = 100  # sensor ids and column names
NUMBER = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*")
EXAMPLES_SHOWN = 30  # characters of a bad cell quoted in an error
TRAIN_SHARE = 0.7  # the chronological 70/10/20 split of training.datasets: the training part


class OwnDataError(ValueError):
    """A learner's file is refused; the message says which file, row and column, and why.

    `OwnDataError(N_("{file} is empty"), file=name)`: `str(error)` is the English text, `error.text`
    the same as an i18n.Message (its template and values), which a page shows translated."""

    def __init__(self, template: str, **values: object):
        self.text = Message(template, **values)
        super().__init__(self.text)

    def __reduce__(self):  # pickled (a worker's queue) with its template and values
        return _own_data_error, (type(self), self.text)


def _own_data_error(kind: type[OwnDataError], text: Message) -> OwnDataError:
    return kind(text.template, **text.values)


@dataclass(frozen=True)
class OwnTraffic:
    speeds: np.ndarray  # (steps, sensors) float32 mph (or any unit), 0 = no reading
    adjacency: np.ndarray  # (sensors, sensors) float32, non-negative
    sensor_ids: list[str]
    latitude: np.ndarray | None = None  # (sensors,) in the speeds' column order
    longitude: np.ndarray | None = None


@dataclass(frozen=True)
class OwnReviews:
    texts: list[str]
    labels: np.ndarray  # (reviews,) uint8, 1 = positive


def quoted(value: str) -> str:
    value = value.strip()
    return repr(value if len(value) <= EXAMPLES_SHOWN else value[:EXAMPLES_SHOWN] + "…")


def check_size(raw: bytes, file_name: str, limit: int) -> None:
    if not isinstance(raw, (bytes, bytearray)):
        raise OwnDataError(N_("{file}: expected the file's bytes, got {kind}"), file=file_name,
                           kind=type(raw).__name__)
    if len(raw) == 0:
        raise OwnDataError(N_("{file} is empty"), file=file_name)
    if len(raw) > limit:
        raise OwnDataError(N_("{file} is {size:.1f} MB; the limit is {limit} MB"), file=file_name, size=len(raw) / MB,
                           limit=limit // MB)


def decode(raw: bytes, file_name: str) -> str:
    """UTF-8 text (a byte-order mark is dropped); refuses binary files and other encodings."""
    if b"\0" in raw[:65536]:
        raise OwnDataError(N_("{file} is not a text file (it contains NUL bytes): save it as CSV"), file=file_name)
    try:
        return bytes(raw).decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        raise OwnDataError(N_("{file}, line {line}: byte 0x{byte:02x} is not UTF-8. Save the file as 'CSV UTF-8' "
                              "(Excel) or with encoding UTF-8"), file=file_name, line=line,
                           byte=raw[error.start]) from error


def read_rows(text: str, file_name: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) of every record; blank lines at the end are dropped, blank lines in
    between are an error (a missing time step would shift every later step)."""
    rows: list[tuple[int, list[str]]] = []
    # strict: a stray or unclosed quote is an error, not the rest of the file read as one cell
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1  # the line the current record starts on (a quoted cell may span lines)
    try:
        for cells in reader:
            rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as error:
        raise OwnDataError(N_("{file}, line {line}: not valid CSV ({error}); check the quotes in this record"),
                           file=file_name, line=start, error=str(error)) from error
    while rows and not any(cell.strip() for cell in rows[-1][1]):
        rows.pop()
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            raise OwnDataError(N_("{file}, line {line} is empty; remove it (or fill in the row)"), file=file_name,
                               line=line)
    if not rows:
        raise OwnDataError(N_("{file} has no rows"), file=file_name)
    return rows


def check_widths(rows: list[tuple[int, list[str]]], width: int, file_name: str, expected: str, **values) -> None:
    """Every row `width` cells long; `expected` (a template with `{width}` and `values`) says why."""
    for line, cells in rows:
        if len(cells) != width:
            raise OwnDataError(N_("{file}, line {line} has {count} values; {expected}"), file=file_name, line=line,
                               count=len(cells), expected=Message(expected, width=width, **values))


def cell_place(file_name: str, line: int, column: Message) -> Message:
    """"speeds.csv, line 8, column 3 (sensor 'S102')": where a bad cell is."""
    return Message(N_("{file}, line {line}, {column}"), file=file_name, line=line, column=column)


def numbers(rows: list[tuple[int, list[str]]], file_name: str, column_name: Callable[[int], Message],
            hint: Callable[[int, int], Message | str] = lambda row, column: "") -> np.ndarray:
    """The cells as float64 (rows, columns); an error names the first bad cell and counts the rest.

    `column_name(index)` describes column `index` (0-based) for messages; `hint(row, column)`
    adds a likely cause to a cell that is not a number (a Message starting with a space, or "")."""
    cells = [row for _, row in rows]
    # The strict pattern, not float(): float() also reads "nan", "inf" and "1_000".
    match = NUMBER.fullmatch
    not_number = np.array([[match(cell) is None for cell in row] for row in cells], dtype=bool)
    values = np.zeros(not_number.shape) if not_number.any() else np.array(cells, dtype=np.float64)
    bad = not_number | ~np.isfinite(values)
    if bad.any():
        problems = np.argwhere(bad)
        row, column = (int(index) for index in problems[0])
        cell = cells[row][column]
        where = cell_place(file_name, rows[row][0], column_name(column))
        more = Message(N_(" ({count:,} more cells like it)"), count=len(problems) - 1) if len(problems) > 1 else ""
        if not cell.strip():
            raise OwnDataError(N_("{where} is empty{more}: every cell needs a number"), where=where, more=more)
        if not_number[row, column]:
            raise OwnDataError(N_("{where}: {cell} is not a number{hint}{more}"), where=where, cell=quoted(cell),
                               hint=hint(row, column), more=more)
        raise OwnDataError(N_("{where}: {cell} is too large to be a number{more}"), where=where, cell=quoted(cell),
                           more=more)
    return values


def negative_error(values: np.ndarray, rows, file_name: str, column_name: Callable[[int], Message],
                   what: Message) -> None:
    negative = np.argwhere(values < 0)
    if len(negative):
        row, column = (int(index) for index in negative[0])
        more = Message(N_(" ({count:,} more like it)"), count=len(negative) - 1) if len(negative) > 1 else ""
        raise OwnDataError(N_("{where}: {what} {value:g} is negative{more}"),
                           where=cell_place(file_name, rows[row][0], column_name(column)), what=what,
                           value=float(values[row, column]), more=more)


def sensor_header(cells: list[str], file_name: str) -> list[str]:
    ids = [cell.strip() for cell in cells]
    if len(ids) < MIN_SENSORS:
        raise OwnDataError(N_("{file}: the header names {count} sensor; at least {minimum} are needed (line 1 must "
                              "list the sensor ids, one per column)"), file=file_name, count=len(ids),
                           minimum=MIN_SENSORS)
    if len(ids) > MAX_SENSORS:
        raise OwnDataError(N_("{file}: the header names {count:,} sensors; the limit is {limit:,}"), file=file_name,
                           count=len(ids), limit=MAX_SENSORS)
    seen: dict[str, int] = {}
    for column, sensor in enumerate(ids, start=1):
        if not sensor:
            raise OwnDataError(N_("{file}, line 1, column {column}: the sensor id is empty"), file=file_name,
                               column=column)
        if len(sensor) > MAX_NAME_CHARS:
            raise OwnDataError(N_("{file}, line 1, column {column}: the sensor id is longer than {limit} characters"),
                               file=file_name, column=column, limit=MAX_NAME_CHARS)
        if sensor in seen:
            raise OwnDataError(N_("{file}, line 1: sensor id {sensor} names columns {first} and {second}; every "
                                  "sensor needs its own id"), file=file_name, sensor=quoted(sensor),
                               first=seen[sensor], second=column)
        seen[sensor] = column
    return ids


def validate_speeds(raw: bytes, file_name: str = "speeds.csv") -> tuple[np.ndarray, list[str]]:
    """(speeds (steps, sensors) float32, sensor ids) from a speeds CSV."""
    check_size(raw, file_name, MAX_SPEEDS_BYTES)
    rows = read_rows(decode(raw, file_name), file_name)
    ids = sensor_header(rows[0][1], file_name)
    body = rows[1:]
    if len(body) * len(ids) > MAX_SPEED_VALUES:
        raise OwnDataError(N_("{file} has {steps:,} steps x {sensors:,} sensors = {values:,} values; the limit is "
                              "{limit:,}"), file=file_name, steps=len(body), sensors=len(ids),
                           values=len(body) * len(ids), limit=MAX_SPEED_VALUES)
    if len(body) < MIN_STEPS:
        raise OwnDataError(N_("{file} has {steps:,} time steps; at least {minimum:,} (one day of 5-minute steps) are "
                              "needed for the validation and test splits to hold {input} -> {horizon} step windows"),
                           file=file_name, steps=len(body), minimum=MIN_STEPS, input=INPUT_STEPS,
                           horizon=HORIZON_STEPS)
    check_widths(body, len(ids), file_name, N_("the header names {width}"))

    def column_name(index: int) -> Message:
        return Message(N_("column {number} (sensor {sensor})"), number=index + 1, sensor=quoted(ids[index]))

    def hint(row: int, column: int) -> Message | str:
        return Message(N_(" (a first column of timestamps? remove it)")) if (row, column) == (0, 0) else ""

    speeds = numbers(body, file_name, column_name, hint)
    negative_error(speeds, body, file_name, column_name, Message(N_("speed")))
    train_steps = int(round(TRAIN_SHARE * len(speeds)))
    if not speeds[:train_steps].std() > 0:
        # the share is a value: "70 % of" in a template would read as a %-format to gettext tools
        raise OwnDataError(N_("{file}: every speed in the first {share} of the steps (the training part) is the "
                              "same, so there is nothing to learn and nothing to scale by"), file=file_name,
                           share=f"{TRAIN_SHARE * 100:.0f} %")
    return speeds.astype(np.float32), ids


def validate_adjacency(raw: bytes, sensors: int, file_name: str = "adjacency.csv") -> np.ndarray:
    """The (sensors, sensors) non-negative edge weights."""
    check_size(raw, file_name, MAX_ADJACENCY_BYTES)
    rows = read_rows(decode(raw, file_name), file_name)
    if len(rows) > MAX_SENSORS:
        raise OwnDataError(N_("{file} has {rows:,} rows; the limit is {limit:,} sensors"), file=file_name,
                           rows=len(rows), limit=MAX_SENSORS)
    check_widths(rows, len(rows), file_name,
                 N_("the adjacency matrix must be square: it has {count} rows, so every row needs {width}"),
                 count=len(rows))
    if len(rows) != sensors:
        raise OwnDataError(N_("{file} is {rows} x {rows} but speeds.csv has {sensors} sensors: row and column i of "
                              "the matrix are the sensor of speed column i"), file=file_name, rows=len(rows),
                           sensors=sensors)

    def column_name(index: int) -> Message:
        return Message(N_("column {number}"), number=index + 1)

    adjacency = numbers(rows, file_name, column_name,
                        lambda row, column: Message(N_(" (the matrix has no header row)")) if row == 0 else "")
    negative_error(adjacency, rows, file_name, column_name, Message(N_("edge weight")))
    return adjacency.astype(np.float32)


def validate_locations(raw: bytes, sensor_ids: list[str],
                       file_name: str = "locations.csv") -> tuple[np.ndarray, np.ndarray]:
    """(latitude, longitude) in the order of `sensor_ids`."""
    check_size(raw, file_name, MAX_LOCATIONS_BYTES)
    rows = read_rows(decode(raw, file_name), file_name)
    header = [cell.strip().lower() for cell in rows[0][1]]
    missing = [name for name in ("sensor_id", "latitude", "longitude") if name not in header]
    if missing:
        raise OwnDataError(N_("{file}, line 1: the header has no column {missing} (it needs sensor_id, latitude, "
                              "longitude; found {found})"), file=file_name, missing=", ".join(missing),
                           found=", ".join(map(quoted, header)))
    check_widths(rows[1:], len(header), file_name, N_("the header names {width}"))
    where = {name: header.index(name) for name in ("sensor_id", "latitude", "longitude")}
    column_of = {sensor: index for index, sensor in enumerate(sensor_ids)}
    position = np.full((len(sensor_ids), 2), np.nan)
    seen: dict[str, int] = {}
    for line, cells in rows[1:]:
        sensor = cells[where["sensor_id"]].strip()
        if sensor not in column_of:
            raise OwnDataError(N_("{file}, line {line}: sensor {sensor} is not a column of speeds.csv"),
                               file=file_name, line=line, sensor=quoted(sensor))
        if sensor in seen:
            raise OwnDataError(N_("{file}, line {line}: sensor {sensor} already has a location (line {first})"),
                               file=file_name, line=line, sensor=quoted(sensor), first=seen[sensor])
        seen[sensor] = line
        for axis, (name, bound, message) in enumerate((
                ("latitude", 90, N_("{file}, line {line}, column latitude: {cell} is not a latitude between "
                                    "-{bound} and {bound}")),
                ("longitude", 180, N_("{file}, line {line}, column longitude: {cell} is not a longitude between "
                                      "-{bound} and {bound}")))):
            cell = cells[where[name]]
            if NUMBER.fullmatch(cell) is None or not -bound <= float(cell) <= bound:
                raise OwnDataError(message, file=file_name, line=line, cell=quoted(cell), bound=bound)
            position[column_of[sensor], axis] = float(cell)
    absent = [sensor for sensor in sensor_ids if sensor not in seen]
    if absent:
        raise OwnDataError(N_("{file}: {count} sensors of speeds.csv have no location, the first {sensor} (column "
                              "{column})"), file=file_name, count=len(absent), sensor=quoted(absent[0]),
                           column=column_of[absent[0]] + 1)
    return position[:, 0], position[:, 1]


def validate_traffic(speeds: bytes, adjacency: bytes, locations: bytes | None = None) -> OwnTraffic:
    """The three traffic files checked together (the graph and locations must fit the speeds)."""
    values, ids = validate_speeds(speeds)
    graph = validate_adjacency(adjacency, len(ids))
    latitude, longitude = validate_locations(locations, ids) if locations is not None else (None, None)
    return OwnTraffic(values, graph, ids, latitude, longitude)


def validate_reviews(raw: bytes, file_name: str = "reviews.csv") -> OwnReviews:
    """Reviews and 0/1 labels from a CSV whose header names the columns text and label."""
    check_size(raw, file_name, MAX_REVIEWS_BYTES)
    rows = read_rows(decode(raw, file_name), file_name)
    header = [cell.strip().lower() for cell in rows[0][1]]
    for name in ("text", "label"):
        if header.count(name) != 1:
            message = (N_("{file}, line 1: the header has no column {name} (it needs the columns text and label; "
                          "found {found})") if name not in header else
                       N_("{file}, line 1: the header has more than one column {name} (it needs the columns text "
                          "and label; found {found})"))
            raise OwnDataError(message, file=file_name, name=repr(name), found=", ".join(map(quoted, header)))
    body = rows[1:]
    if len(body) > MAX_REVIEWS:
        raise OwnDataError(N_("{file} has {count:,} reviews; the limit is {limit:,}"), file=file_name,
                           count=len(body), limit=MAX_REVIEWS)
    check_widths(body, len(header), file_name, N_("the header names {width}"))
    text_column, label_column = header.index("text"), header.index("label")
    texts, labels = [], np.zeros(len(body), dtype=np.uint8)
    for index, (line, cells) in enumerate(body):
        text, label = cells[text_column].strip(), cells[label_column].strip()
        if not text:
            raise OwnDataError(N_("{file}, line {line}, column text: the review is empty"), file=file_name,
                               line=line)
        if len(text) > MAX_REVIEW_CHARS:
            raise OwnDataError(N_("{file}, line {line}, column text: the review has {count:,} characters; the limit "
                                  "is {limit:,}"), file=file_name, line=line, count=len(text),
                               limit=MAX_REVIEW_CHARS)
        if label not in ("0", "1"):
            raise OwnDataError(N_("{file}, line {line}, column label: {cell} is not a label; use 0 (negative) or 1 "
                                  "(positive)"), file=file_name, line=line, cell=quoted(label))
        texts.append(text)
        labels[index] = int(label)
    for label, name in ((0, N_("negative (0)")), (1, N_("positive (1)"))):
        count = int((labels == label).sum())
        if count < MIN_REVIEWS_PER_LABEL:
            raise OwnDataError(N_("{file} has {count} {label} reviews; at least {minimum} of each label are needed so "
                                  "the validation and test splits hold both"), file=file_name, count=count,
                               label=Message(name), minimum=MIN_REVIEWS_PER_LABEL)
    return OwnReviews(texts, labels)
