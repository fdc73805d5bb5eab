"""The pure parts of the benchmark runner (bench/run.py): no server, no wrk, no timing."""

from __future__ import annotations

import pytest

from bench import run

WRK_STDOUT = """Running 10s test @ http://127.0.0.1:8000/bench/floor/1
  2 threads and 16 connections
  2833 requests in 5.01s, 0.97MB read
QAMQOR_WRK_JSON {"requests": 2833, "duration_s": 5.010000, "requests_per_s": 565.469, \
"bytes": 1017000, "latency_us": {"mean": 39940.2, "max": 1130000, "p50": 21000, "p95": 90000, \
"p99": 400000}, "errors": {"connect": 0, "read": 1, "write": 0, "status": 2, "timeout": 0}}
"""


def test_wrk_report_line_is_parsed_among_wrk_output() -> None:
    report = run.parse_wrk_output(WRK_STDOUT)

    assert report["requests"] == 2833
    assert report["requests_per_s"] == 565.469
    assert report["latency_us"] == {
        "mean": 39940.2,
        "max": 1130000,
        "p50": 21000,
        "p95": 90000,
        "p99": 400000,
    }
    assert run.error_count(report) == 3


def test_wrk_output_without_report_line_is_an_error() -> None:
    with pytest.raises(ValueError, match="no report line"):
        run.parse_wrk_output("Running 10s test @ http://127.0.0.1:8000/\n")


def test_ratios_are_relative_to_the_floor_of_the_same_run() -> None:
    rows = [
        {"name": "floor", "requests_per_s": 500.0},
        {"name": "home (kk)", "requests_per_s": 125.0},
        {"name": "broken", "failure": "status 404, expected 200"},
    ]

    result = run.with_ratios(rows)

    assert [r.get("ratio_to_floor") for r in result] == [1.0, 0.25, None]
    assert "ratio_to_floor" not in rows[0]  # the input is left alone


def test_no_ratio_without_a_floor_measurement() -> None:
    result = run.with_ratios([{"name": "health", "requests_per_s": 300.0}])

    assert result[0]["ratio_to_floor"] is None
    assert run.ratio_to_floor(300.0, 0.0) is None


@pytest.mark.parametrize(
    "target",
    ["127.0.0.1", "localhost", "LOCALHOST", "http://127.0.0.1:8000/health", "http://localhost/"],
)
def test_loopback_targets_are_accepted(target: str) -> None:
    assert run.ensure_loopback(target) in {"127.0.0.1", "localhost"}


@pytest.mark.parametrize(
    "target",
    [
        "0.0.0.0",  # noqa: S104 - the point is to refuse it
        "10.0.0.5",
        "example.org",
        "127.0.0.1.example.org",
        "http://example.org/health",
        "http://10.0.0.5:8000/",
        "",
    ],
)
def test_other_targets_are_refused(target: str) -> None:
    with pytest.raises(run.NotLoopbackError):
        run.ensure_loopback(target)


def test_wrk_is_never_pointed_elsewhere() -> None:
    with pytest.raises(run.NotLoopbackError):
        run.wrk_command("http://example.org/", headers={}, duration_s=1, connections=1, threads=1)


def test_wrk_command_carries_headers_and_the_report_script() -> None:
    cmd = run.wrk_command(
        "http://127.0.0.1:8000/",
        headers={"Accept-Language": "kk", "Cookie": "a=1; b=2"},
        duration_s=10,
        connections=16,
        threads=2,
    )

    assert cmd[0] == "wrk"
    assert f"--script={run.WRK_SCRIPT}" in cmd
    first = cmd.index("--header")
    assert cmd[first : first + 2] == ["--header", "Accept-Language: kk"]
    assert "Cookie: a=1; b=2" in cmd
    assert cmd[-1] == "http://127.0.0.1:8000/"


def test_remote_database_is_refused() -> None:
    with pytest.raises(run.NotLoopbackError):
        run.database_environment("postgres://postgres@db.example.org:5432/qamqor_bench")


def test_database_urls_map_to_the_settings_variables() -> None:
    url = "postgres://postgres@127.0.0.1:5432/qamqor_bench"
    assert run.database_environment(url) == {"DATABASE_URL": url}
    sqlite = run.database_environment("sqlite:///var/bench.sqlite3")
    assert sqlite == {"DATABASE_URL": "", "SQLITE_PATH": str(run.ROOT / "var" / "bench.sqlite3")}
    absolute = run.database_environment("sqlite:////srv/qamqor/bench.sqlite3")
    assert absolute["SQLITE_PATH"] == "/srv/qamqor/bench.sqlite3"


def test_server_specs() -> None:
    assert run.parse_server_spec("gunicorn") == run.ServerSpec("gunicorn")
    assert run.parse_server_spec("granian:5") == run.ServerSpec("granian", 5)
    for bad in ("uwsgi", "granian:0", "granian:x"):
        with pytest.raises(ValueError):
            run.parse_server_spec(bad)


def test_endpoint_selection_always_includes_the_floor_first() -> None:
    selected = run.select_endpoints("health")

    assert [e.name for e in selected] == ["floor", "health"]
    assert run.select_endpoints(None) == run.ENDPOINTS
    with pytest.raises(ValueError, match="unknown endpoint"):
        run.select_endpoints("nope")


def test_registry_has_one_floor_and_unique_names() -> None:
    names = [e.name for e in run.ENDPOINTS]

    assert names[0] == run.FLOOR
    assert len(names) == len(set(names))


def test_serve_banner_gives_the_worker_count() -> None:
    log = "bin/serve: gunicorn, 5 workers, 127.0.0.1:8000\n[INFO] Starting gunicorn\n"

    assert run.parse_serve_banner(log) == {
        "server": "gunicorn",
        "workers": 5,
        "address": "127.0.0.1:8000",
    }


def test_table_shows_ratio_and_skipped_endpoints() -> None:
    rows = run.with_ratios(
        [
            {
                "name": "floor",
                "requests_per_s": 500.0,
                "latency_us": {"p50": 2000, "p95": 5000, "p99": 9000},
                "error_count": 0,
            },
            {"name": "broken", "failure": "status 404, expected 200"},
        ]
    )

    table = run.format_table("gunicorn", rows)

    floor_line = next(line for line in table.splitlines() if line.startswith("floor"))
    assert floor_line.split() == ["floor", "500", "2.00", "5.00", "9.00", "1.00", "0"]
    assert "status 404, expected 200" in table


def test_password_is_redacted_from_recorded_urls() -> None:
    assert (
        run.redact_url("postgres://u:secret@127.0.0.1/qamqor_bench")
        == "postgres://u:***@127.0.0.1/qamqor_bench"
    )


def test_servers_take_turns_going_first() -> None:
    servers = ["gunicorn", "granian"]

    assert [run.rotated(servers, i)[0] for i in range(4)] == [
        "gunicorn",
        "granian",
        "gunicorn",
        "granian",
    ]
    assert run.rotated([], 3) == []


def test_only_a_bench_database_is_ever_dropped() -> None:
    assert run.ensure_bench_name("postgres://postgres@127.0.0.1/qamqor_bench") == "qamqor_bench"
    assert run.ensure_bench_name("sqlite:///var/bench.sqlite3") == "bench.sqlite3"
    with pytest.raises(ValueError, match="refusing to drop"):
        run.ensure_bench_name("postgres://postgres@127.0.0.1/qamqor")


def test_the_median_round_is_reported_whole() -> None:
    rounds = [
        {"name": "floor", "requests_per_s": 900.0, "latency_us": {"p50": 1}},
        {"name": "floor", "requests_per_s": 300.0, "latency_us": {"p50": 3}},
        {"name": "floor", "requests_per_s": 600.0, "latency_us": {"p50": 2}},
    ]

    assert run.median_row(rounds) == rounds[2]
    assert run.median_row(rounds[:2]) == rounds[1]  # of two, the lower
    assert run.median_row([*rounds, {"name": "floor", "failure": "status 500"}])["failure"]


def test_servers_are_compared_round_by_round() -> None:
    gunicorn = [
        {"name": "floor", "round": 1, "requests_per_s": 400.0},
        {"name": "floor", "round": 2, "requests_per_s": 800.0},
    ]
    granian = [
        {"name": "floor", "round": 1, "requests_per_s": 600.0},
        {"name": "floor", "round": 2, "requests_per_s": 800.0},
        {"name": "floor", "round": 3, "requests_per_s": 900.0},  # no partner: left out
    ]

    assert run.paired_ratios(gunicorn, granian, "floor") == [1.5, 1.0]
    assert run.paired_ratios(gunicorn, granian, "health") == []


# --- bench/national.py (issue 9): the pure helpers of `make bench-national` ----------------------


def test_percentiles_are_nearest_rank() -> None:
    from bench import national

    values = [float(v) for v in range(1, 101)]
    assert national.percentile(values, 0.50) == 50.0
    assert national.percentile(values, 0.95) == 95.0
    assert national.percentile(values, 0.99) == 99.0
    assert national.percentile([7.0], 0.99) == 7.0
    assert national.percentile([], 0.5) is None


def test_driver_report_looks_like_wrks() -> None:
    from bench import national

    report = national.driver_report([0.010, 0.020, 0.030, 0.040], errors=2, seconds=2.0)

    assert report["requests_per_s"] == 2.0
    assert report["latency_us"]["p50"] == pytest.approx(20_000)
    assert report["latency_us"]["p99"] == pytest.approx(40_000)
    assert report["error_count"] == 2
    # It fits the table of bench/run.py, ratio included.
    rows = run.with_ratios([{"name": "floor", **report}, {"name": "login", **report}])
    assert "login" in run.format_table("t", rows)


def test_page_target_needs_both_the_ratio_and_the_p99() -> None:
    from bench import national

    def row(ratio: float, p99_ms: float) -> dict[str, object]:
        return {"ratio_to_floor": ratio, "latency_us": {"p99": p99_ms * 1000}}

    assert national.verdict(row(0.40, 200)) == "meets"
    assert national.verdict(row(0.30, 200)) == "misses"
    assert national.verdict(row(0.40, 300)) == "misses"
    assert national.verdict({"failure": "status 500"}) == "-"


def test_sweeps_are_marked_against_ten_seconds() -> None:
    from bench import national

    table = national.sweep_table(
        [
            {"name": "fast", "seconds": 1.5, "result": "0"},
            {"name": "slow", "seconds": 12.0, "result": "3"},
        ]
    )
    assert "fast" in table and "ok" in table
    assert "MISSED" in table.splitlines()[2]
