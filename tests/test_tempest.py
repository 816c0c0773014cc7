from __future__ import annotations

import configparser
import csv
import io
import json
import re
from pathlib import Path

import pytest

from stackbook import errors, tempest
from stackbook.tempest import Cloud, Results, TempestError

from .builders import ROOT

CLOUD = Cloud("https://controller:13000/v3", "RegionOne", "s3cret-admin-pw",
              frozenset({"identity", "image", "orchestration"}), "-----BEGIN CERTIFICATE-----\n")


def test_the_selection_in_the_repository_parses_and_every_exclusion_has_a_reason() -> None:
    selection = tempest.load_selection(ROOT / "runbooks")
    assert r"^tempest\.api\.identity\." in selection.include
    assert all(reason for _, reason in selection.exclude)


@pytest.mark.parametrize(
    ("text", "message"),
    [("+ a\n- b\n", "line 2: the exclusion 'b' needs its reason"),
     ("+ a\n* b\n", "line 2: expected '+ REGEX' or '- REGEX  # reason'"),
     ("+ (unclosed\n", "line 1: '(unclosed' is not a regular expression"),
     ("# nothing\n- a  # why\n", "no test selected")],
)
def test_a_bad_selection_names_the_line_and_the_fix(text: str, message: str) -> None:
    with pytest.raises(TempestError, match=re.escape(message)):
        tempest.parse_selection(text, "tempest.txt")


def test_exclusions_keep_their_reasons() -> None:
    selection = tempest.parse_selection("+ ^tempest\\.api\n- web_download  # needs an outside URL\n", "t")
    assert selection.exclude == (("web_download", "needs an outside URL"),)


def test_config_marks_what_the_guides_did_not_install_and_trusts_the_ca(tmp_path: Path) -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(tempest.config(CLOUD, tmp_path))
    available = parser["service_available"]
    assert available["glance"] == "true" and available["heat"] == "true"
    assert available["barbican"] == "false"  # not in this cloud's catalog
    assert all(available[name] == "false" for name in ("nova", "neutron", "cinder", "swift"))
    assert parser["identity"]["uri_v3"] == CLOUD.auth_url
    assert parser["identity"]["ca_certificates_file"] == str(tmp_path / "ca.crt")
    assert parser["heat_plugin"]["ca_file"] == str(tmp_path / "ca.crt")
    assert parser["auth"]["admin_password"] == CLOUD.admin_password


def test_config_without_tls_names_no_ca(tmp_path: Path) -> None:
    plain = Cloud("http://controller:5000/v3", "RegionOne", "pw-pw-pw-pw", frozenset({"identity"}))
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(tempest.config(plain, tmp_path))
    assert "ca_certificates_file" not in parser["identity"]


ROWS = [
    ("tempest.api.identity.v3.test_tokens.TokensV3Test.test_create_token[id-1,smoke]", "success"),
    ("tempest.api.image.v2.test_images.ImportImagesTest.test_image_web_download_import[id-2]", "failure"),
    ("tempest.api.compute.servers.test_x.T.test_y[id-3,smoke]", "skip"),
    ("setUpClass (tempest.api.identity.admin.v3.test_x.T)", "success"),
    ("heat_tempest_plugin.tests.api.test_heat_api.X.test_z[id-4]", "xfail"),
]


def _csv(rows: list[tuple[str, str]]) -> str:
    """As subunit2csv writes it: a header, then quoted fields where a test id has commas."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["test", "status", "start_time", "stop_time"])
    writer.writerows((test, status, "2026-12-05 00:00:00", "2026-12-05 00:00:01") for test, status in rows)
    return out.getvalue()


def test_results_count_by_status_and_name_the_failures() -> None:
    results = tempest.parse_results(_csv(ROWS))
    assert (results.passed, results.failed, results.skipped) == (2, 1, 1)
    assert results.failures == ["tempest.api.image.v2.test_images.ImportImagesTest.test_image_web_download_import"]
    assert not results.ok


def test_no_test_run_is_not_a_pass() -> None:
    assert not Results().ok


def test_failed_tests_make_the_run_a_failed_check() -> None:
    summary = {"status": "passed", "end": {"kind": errors.PASSED, "exit": 0}}
    failed = tempest.with_results(summary, Results(passed=3, failed=1, failures=["t"]))
    assert failed["status"] == "failed" and failed["end"] == {"kind": errors.FAILED_CHECK, "exit": 1}
    passed = tempest.with_results(summary, Results(passed=3))
    assert passed["status"] == "passed" and passed["tempest"]["passed"] == 3  # type: ignore[index]


def test_records_keep_other_platforms() -> None:
    earlier = {"debian-12": {"passed": 1}}
    updated = tempest.with_record(earlier, {"platform": "debian-13", "debian": "13", "openstack": "2025.1"},
                                  Results(passed=5, skipped=2, seconds=12.5), "2026-12-05")
    assert updated["debian-12"] == {"passed": 1}
    assert updated["debian-13"] == {"date": "2026-12-05", "debian": "13", "openstack": "2025.1", "passed": 5,
                                    "failed": 0, "skipped": 2, "seconds": 12.5, "failures": [], "flaky": []}
    json.dumps(updated)


def test_an_environment_without_tempest_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr(tempest.sys, "executable", "/nonexistent/python")
    with pytest.raises(tempest.TempestNotInstalled, match="tempest dependency group") as caught:
        tempest.tool("tempest")
    assert caught.value.kind == errors.INFRASTRUCTURE


def test_heat_api_tests_run_as_one_group_and_others_by_class(tmp_path: Path) -> None:
    conf = tmp_path / ".stestr.conf"
    conf.write_text("[DEFAULT]\ntest_path=./tempest/test_discover\ngroup_regex=([^\\.]*\\.)*\n")
    tempest._group_gabbi_tests(conf)
    regex = [line for line in conf.read_text().splitlines() if line.startswith("group_regex=")]
    assert len(regex) == 1
    pattern = regex[0].split("=", 1)[1]
    heat = ["heat_tempest_plugin.tests.api.test_heat_api.stacks_create_stack.test_request",
            "heat_tempest_plugin.tests.api.test_heat_api.stacks_show_stack.test_request"]
    assert len({re.search(pattern, t).group(0) for t in heat}) == 1  # type: ignore[union-attr]
    assert re.search(pattern, "tempest.api.identity.v3.test_tokens.T.test_x").group(0) == (  # type: ignore[union-attr]
        "tempest.api.identity.v3.test_tokens.T.")


def test_a_retry_runs_each_failed_test_alone_and_heat_api_tests_as_their_suite() -> None:
    retry = tempest.retry_selection([
        "tempest.api.identity.v3.test_application_credentials.ApplicationCredentialsV3Test.test_list_application_credentials",
        "heat_tempest_plugin.tests.api.test_heat_api.stacks_show_stack.test_request",
        "heat_tempest_plugin.tests.api.test_heat_api.stacks_create_stack.test_request",
        "setUpClass (tempest.api.image.v2.test_images.ImportImagesTest)",
    ])
    assert retry.exclude == ()
    assert len(retry.include) == 3  # the Heat suite once
    def selected(test_id: str) -> bool:
        return any(re.search(p, test_id) for p in retry.include)
    base = "tempest.api.identity.v3.test_application_credentials.ApplicationCredentialsV3Test."
    assert selected(base + "test_list_application_credentials[id-abc]")
    assert not selected(base + "test_list_application_credentials_more[id-abc]")
    assert selected("heat_tempest_plugin.tests.api.test_heat_api.stacks_stack_list.test_request")
    assert selected("tempest.api.image.v2.test_images.ImportImagesTest.test_image_import[id-1]")
    assert not selected("tempest.api.image.v2.test_images.ListImagesTest.test_index_no_params[id-2]")


def test_tests_that_pass_when_run_again_count_as_passed_and_are_named_flaky() -> None:
    first = tempest.parse_results(_csv([
        ("tempest.api.a.T.test_one[id-1,smoke]", "fail"), ("tempest.api.a.T.test_two[id-2]", "fail"),
        ("tempest.api.a.T.test_three[id-3]", "success"), ("setUpClass (tempest.api.b.U)", "fail"),
        ("tempest.api.c.V.test_four[id-4]", "fail"), ("tempest.api.a.T.test_five[id-5]", "skip")]))
    retry = tempest.parse_results(_csv([
        ("tempest.api.a.T.test_one[id-1,smoke]", "success"), ("tempest.api.a.T.test_two[id-2]", "fail"),
        ("tempest.api.b.U.test_x[id-6]", "success")]))  # test_four did not run again: still failed
    found = tempest.after_retry(first, retry)
    assert (found.passed, found.failed, found.skipped) == (3, 2, 1)
    assert found.flaky == ["setUpClass (tempest.api.b.U)", "tempest.api.a.T.test_one"]
    assert found.failures == ["tempest.api.a.T.test_two", "tempest.api.c.V.test_four"]
    assert not found.ok and "succeeded" not in found.as_dict()
    assert "flaky (failed, then passed alone): tempest.api.a.T.test_one" in tempest.describe(found)
