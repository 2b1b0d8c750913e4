from datetime import date

from pipeline.warehouse.health import SilentSource, silent_sources


def test_a_source_silent_for_its_threshold_is_flagged_with_its_reason():
    activity = [
        ("courrier", date(2026, 11, 5), 2, None),
        ("courrier", date(2026, 11, 4), 0, None),
        ("casse", date(2026, 11, 5), 0, "not a readable feed"),
        ("casse", date(2026, 11, 4), 0, "not a readable feed"),
        ("casse", date(2026, 11, 3), 0, None),
        ("calme", date(2026, 11, 5), 0, None),
        ("calme", date(2026, 11, 4), 0, None),
        ("calme", date(2026, 11, 3), 0, None),
        ("jeune", date(2026, 11, 5), 0, None),
    ]
    assert silent_sources(activity, {"calme": 3}) == [
        SilentSource("calme", 3, "no new entry for 3 days"),
        SilentSource("casse", 3, "not a readable feed"),
    ]
    assert silent_sources(activity, {"calme": 4, "casse": 2}) == [
        SilentSource("casse", 2, "not a readable feed")
    ]
