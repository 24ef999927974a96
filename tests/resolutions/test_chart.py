"""The server-rendered SVG chart of a resolution's progress."""

import xml.etree.ElementTree as ET
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from resolutions.chart import percent_chart_svg

SVG = "{http://www.w3.org/2000/svg}"

UPDATES = [
    (date(2024, 1, 15), 10),
    (date(2024, 4, 1), 35),
    (date(2024, 9, 30), 80),
]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def polyline_points(root: ET.Element) -> list[tuple[float, float]]:
    line = root.find(f"{SVG}polyline")
    assert line is not None
    return [tuple(map(float, pair.split(","))) for pair in line.get("points").split()]


def test_the_chart_is_well_formed_accessible_svg():
    root = parse(percent_chart_svg(UPDATES, title="ปฐมวัยคุณภาพ"))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == "ปฐมวัยคุณภาพ"
    assert root.find(f"{SVG}title").text == "ปฐมวัยคุณภาพ"
    assert root.get("viewBox") == "0 0 640 240"


def test_the_polyline_has_one_point_per_update_in_date_order():
    shuffled = [UPDATES[2], UPDATES[0], UPDATES[1]]
    points = polyline_points(parse(percent_chart_svg(shuffled, title="t")))
    assert len(points) == 3
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    assert xs == sorted(xs)
    assert ys == sorted(ys, reverse=True)  # rising progress climbs up the screen


def test_gridlines_at_every_quarter_and_labelled():
    root = parse(percent_chart_svg(UPDATES, title="t"))
    grid = root.find(f"{SVG}g[@class='chart-grid']")
    assert len(grid.findall(f"{SVG}line")) == 5
    labels = [t.text for t in root.iter(f"{SVG}text")]
    for tick in ("0%", "25%", "50%", "75%", "100%"):
        assert tick in labels


def test_0_and_100_percent_sit_on_the_outer_gridlines():
    extremes = [(date(2024, 1, 1), 0), (date(2024, 2, 1), 100)]
    root = parse(percent_chart_svg(extremes, title="t"))
    grid_ys = sorted(float(line.get("y1")) for line in root.iter(f"{SVG}line"))
    (_, y0), (_, y100) = polyline_points(root)
    assert y0 == grid_ys[-1]
    assert y100 == grid_ys[0]


def test_dates_are_labelled_with_the_given_formatter():
    def thai(day: date) -> str:
        return f"{day.day}/{day.month}/{day.year + 543}"

    root = parse(percent_chart_svg(UPDATES, title="t", date_label=thai))
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert "15/1/2567" in labels
    assert "30/9/2567" in labels
    tips = [c.find(f"{SVG}title").text for c in root.iter(f"{SVG}circle")]
    assert tips == ["15/1/2567: 10%", "1/4/2567: 35%", "30/9/2567: 80%"]


def test_an_injected_script_title_is_escaped():
    evil = '<script>alert("x")</script> & "quotes"'
    svg = percent_chart_svg(
        UPDATES, title=evil, description=evil, date_label=lambda d: evil
    )
    assert "<script" not in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == evil
    assert root.find(f"{SVG}desc").text == evil
    assert root.get("aria-label") == evil
    assert not list(root.iter(f"{SVG}script"))


def test_no_updates_draws_empty_axes():
    root = parse(percent_chart_svg([], title="ยังไม่มีรายงาน"))
    assert root.find(f"{SVG}polyline") is None
    assert len(root.findall(f"{SVG}g/{SVG}line")) == 5


def test_a_single_update_is_drawn_in_the_middle():
    root = parse(percent_chart_svg([(date(2024, 1, 1), 40)], title="t"))
    [(x, _)] = polyline_points(root)
    assert x == pytest.approx(44 + (640 - 44 - 16) / 2)
    assert len(list(root.iter(f"{SVG}circle"))) == 1


def test_updates_on_the_same_day_share_an_x_and_keep_their_order():
    day = date(2024, 5, 5)
    updates = [(day, 20), (day, 60), (date(2024, 6, 5), 70)]
    points = polyline_points(parse(percent_chart_svg(updates, title="t")))
    assert len(points) == 3
    assert points[0][0] == points[1][0]
    assert points[0][1] > points[1][1]


def test_all_updates_on_one_day_are_all_drawn():
    day = date(2024, 5, 5)
    root = parse(percent_chart_svg([(day, 20), (day, 60)], title="t"))
    assert len(polyline_points(root)) == 2


def test_a_custom_size_sets_the_viewbox():
    root = parse(percent_chart_svg(UPDATES, title="t", width=320, height=160))
    assert root.get("viewBox") == "0 0 320 160"
    assert all(0 <= x <= 320 and 0 <= y <= 160 for x, y in polyline_points(root))


@pytest.mark.parametrize("percent", [-1, 101])
def test_a_percent_outside_0_to_100_is_refused(percent):
    with pytest.raises(ValueError):
        percent_chart_svg([(date(2024, 1, 1), percent)], title="t")


@given(
    st.lists(
        st.tuples(
            st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
            st.integers(min_value=0, max_value=100),
        ),
        max_size=40,
    ),
    st.text(),
)
def test_any_updates_and_any_title_give_well_formed_svg(points, title):
    root = parse(percent_chart_svg(points, title=title))
    assert root.find(f"{SVG}title") is not None
    if points:
        assert len(polyline_points(root)) == len(points)


@given(st.text(st.characters(codec="utf-8", min_codepoint=0x20)))
def test_any_printable_title_survives_escaping_unchanged(title):
    root = parse(percent_chart_svg([], title=title))
    expected = title.replace("\ufffe", "").replace("\uffff", "")
    assert (root.find(f"{SVG}title").text or "") == expected


def test_characters_xml_cannot_carry_are_dropped():
    root = parse(percent_chart_svg([], title="a\x00b\x1bc"))
    assert root.find(f"{SVG}title").text == "abc"
