from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from holdtight.errors import RulebookError
from holdtight.rulebook import check_rulebook, load_rulebook
from holdtight.rulecheck import stats_data

Make = Callable[..., Path]


def test_bundled_rulebook_loads_clean(rulebook: object, bundled_dir: Path) -> None:
    book, findings = check_rulebook(bundled_dir)
    assert book is not None
    assert findings == []
    assert len(book.questions) >= 36 and len(book.domains) == 13


def test_bundled_rulebook_keeps_the_contract_ids(rulebook: object) -> None:
    from holdtight.model import Rulebook

    assert isinstance(rulebook, Rulebook)
    questions = list(rulebook.questions)
    assert questions[0] == "system_type"
    for qid in ("schools", "knowledge_transfer", "monitoring", "vision_statement", "aims"):
        assert qid in questions
    assert rulebook.questions["knowledge_transfer"].show_if_text == "partners != 'none'"
    assert [d.id for d in rulebook.domains] == [
        "vision", "instructional_model", "curriculum", "assessment", "technology",
        "digital_tools", "professional_learning", "evaluation", "talent", "schedule", "budget",
        "knowledge_sharing", "engagement",
    ]  # fmt: skip


def test_every_domain_is_moved_by_six_questions_both_ways(rulebook: object) -> None:
    from holdtight.model import Rulebook

    assert isinstance(rulebook, Rulebook)
    for domain in rulebook.domains:
        up: set[str] = set()
        down: set[str] = set()
        for rule in rulebook.rules:
            for domain_id, weight in rule.effects:
                if domain_id == domain.id:
                    (up if weight > 0 else down).update(rule.reads)
        assert len(up | down) >= 6, domain.id
        assert down, domain.id


def test_every_domain_setting_has_two_unconditional_rails(rulebook: object) -> None:
    from holdtight.model import SETTINGS, Rulebook

    assert isinstance(rulebook, Rulebook)
    for domain in rulebook.domains:
        for setting in SETTINGS:
            rails = [
                r
                for r in rulebook.guard_rails
                if r.domain == domain.id and setting in r.settings and r.when is None
            ]
            assert len(rails) >= 2, (domain.id, setting)


def test_calibration_reaches_settings_and_fires_every_rule(rulebook: object) -> None:
    from holdtight.model import Rulebook

    assert isinstance(rulebook, Rulebook)
    data = stats_data(rulebook, 600)
    for domain in rulebook.domains:
        reached = sum(1 for count in data["settings"][domain.id].values() if count)
        # vision is bounded at lean_tight or tighter: two settings are all it may reach.
        assert reached >= (2 if domain.id == "vision" else 3), domain.id
    for rule in rulebook.rules:
        assert data["fires"][rule.id] > 0, rule.id
        # No rule dominates, except the unconditional bound that keeps the vision central.
        assert rule.when_text == "true" or data["fires"][rule.id] < 600 * 0.95, rule.id


def error_of(folder: Path) -> str:
    with pytest.raises(RulebookError) as caught:
        load_rulebook(folder)
    text = str(caught.value)
    assert "\n" not in text
    return text


BAD_RULES = [
    ('when = "size >= "', "rules.toml: rule 'r', field 'when': column"),
    ('when = "siz >= 3"', "unknown question 'siz' (did you mean 'size'?)"),
    ("when = \"team == 'bgi'\"", "'bgi' is not an option of 'team' (did you mean 'big'?)"),
    ('when = "team > 2"', "'>' needs a number or scale question"),
    ("when = \"__import__('os').system('echo hi')\"", "field 'when'"),
    ('when = "size.__class__ == 3"', "attribute access"),
    ("when = \"aims[0] == 'a'\"", "subscripts"),
]


@pytest.mark.parametrize(("when", "expected"), BAD_RULES)
def test_bad_conditions_are_one_line_with_place(
    make_rulebook: Make, when: str, expected: str
) -> None:
    rules = f"""
        [[rule]]
        id = "r"
        {when}
        effects = {{ d1 = 1.0 }}
        because = "Why."
    """
    assert expected in error_of(make_rulebook(**{"rules.toml": rules}))


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"rules.toml": "[[rule]\nid = 1"}, "rules.toml: line 1, column"),
        (
            {
                "rules.toml": '[[rule]]\nid = "r"\nwhen = "true"\neffects = { d9 = 1.0 }\nbecause = "x"'
            },
            "unknown domain 'd9'",
        ),
        (
            {
                "rules.toml": '[[rule]]\nid = "r"\nwhen = "true"\neffects = { d1 = 1.0 }\nbecause = "x"\ncolour = 1'
            },
            "rule 'r': unknown key 'colour'",
        ),
        (
            {
                "rules.toml": '[[rule]]\nid = "r"\nwhen = "true"\neffects = { d1 = "much" }\nbecause = "x"'
            },
            "rule 'r', field 'effects.d1'",
        ),
        (
            {"rules.toml": '[[rule]]\nid = "r"\nwhen = "true"\nbecause = "x"'},
            "has no effects and no bounds",
        ),
        (
            {
                "rules.toml": '[[rule]]\nid = "r"\nwhen = "true"\neffects = { d1 = 1.0 }\nbecause = "x"\n[[rule]]\nid = "r"\nwhen = "true"\neffects = { d1 = 1.0 }\nbecause = "x"'
            },
            "duplicate id",
        ),
        ({"rules.toml": "[[rules]]\nid = 'r'"}, "unknown table 'rules' (did you mean 'rule'?)"),
        (
            {
                "guard_rails.toml": '[[guard_rail]]\nid = "g"\ndomain = "d1"\nsettings = ["tight"]\ntext = "x"'
            },
            "no unconditional guard rail for setting",
        ),
        ({"rulebook.toml": None}, "no rulebook.toml"),
        ({"rules.toml": b"\xff\xfe".decode("latin-1")}, "rules.toml"),
        (
            {
                "questions.toml": '[[section]]\nid = "s"\ntitle = "S"\n[[question]]\nid = "q"\nsection = "t"\nkind = "single"\nprompt = "?"\noptions = [{ id = "a", label = "A" }, { id = "b", label = "B" }]'
            },
            "unknown section 't'",
        ),
        (
            {
                "questions.toml": '[[section]]\nid = "s"\ntitle = "S"\n[[question]]\nid = "q"\nsection = "s"\nkind = "choice"\nprompt = "?"'
            },
            "question 'q', field 'kind'",
        ),
    ],
)
def test_broken_rulebooks_get_one_clear_line(
    make_rulebook: Make, files: dict[str, str | None], expected: str
) -> None:
    assert expected in error_of(make_rulebook(**files))


def test_weights_biases_and_thresholds_within_bounds_and_six_decimals(
    make_rulebook: Make,
) -> None:
    from tests.helpers import MINI_RULEBOOK

    domains = (
        '[[domain]]\nid = "d1"\ntitle = "One"\nbias = 5000.0\n[[domain]]\nid = "d2"\ntitle = "Two"'
    )
    assert "domain 'd1', field 'bias': must be a finite number within ±1000" in error_of(
        make_rulebook(**{"domains.toml": domains})
    )
    weight = '[[rule]]\nid = "r"\nwhen = "true"\neffects = { d1 = 1e9 }\nbecause = "x"'
    assert "weight must be a finite number within ±1000" in error_of(
        make_rulebook(**{"rules.toml": weight})
    )
    meta = MINI_RULEBOOK["rulebook.toml"].replace("balanced = -1.0", "balanced = -2.9999999")
    meta = meta.replace("lean_loose = -3.0", "lean_loose = -2.99999994")
    assert "rise strictly (to six decimals)" in error_of(make_rulebook(**{"rulebook.toml": meta}))
    kept = make_rulebook(
        **{
            "rulebook.toml": MINI_RULEBOOK["rulebook.toml"].replace(
                "balanced = -1.0", "balanced = -1.0000004"
            )
        }
    )
    from holdtight.rulebook import load_rulebook

    assert load_rulebook(kept).thresholds[1] == -1.0


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (
            'effects = { d1 = "0.5" }',
            "field 'effects.d1': a number, written without quotes ('0.5' is text)",
        ),
        ("effects = { d1 = true }", "field 'effects.d1': expected a number, not true"),
        ("effects = { d1 = nan }", "field 'effects.d1': must be a finite number, not nan"),
        ('effects = { d1 = "abc" }', "field 'effects.d1': expected a number, not text ('abc')"),
        ("effects = { d1 = -inf }", "field 'effects.d1': must be a finite number, not -inf"),
    ],
)
def test_numbers_in_a_rulebook_are_written_as_numbers(
    make_rulebook: Make, table: str, expected: str
) -> None:
    # pydantic alone would read "0.5" as 0.5 and true as 1: a slip that changes scores.
    rule = f'[[rule]]\nid = "r"\nwhen = "true"\n{table}\nbecause = "x"'
    assert f"rules.toml: rule 'r', {expected}" in error_of(make_rulebook(**{"rules.toml": rule}))


def test_header_numbers_and_flags_are_written_as_their_type(make_rulebook: Make) -> None:
    from tests.helpers import MINI_RULEBOOK

    meta = MINI_RULEBOOK["rulebook.toml"]
    quoted = meta.replace("balanced = -1.0", 'balanced = "-1.0"')
    assert "field 'scale.thresholds.balanced': a number, written without quotes" in error_of(
        make_rulebook(**{"rulebook.toml": quoted})
    )
    for written, said in (
        ('"true"', "field 'required': true or false, written without quotes ('true' is text)"),
        ('"yes"', "field 'required': expected true or false, not text ('yes')"),
    ):
        questions = MINI_RULEBOOK["questions.toml"].replace(
            'kind = "number"', f'kind = "number"\nrequired = {written}', 1
        )
        assert said in error_of(make_rulebook(**{"questions.toml": questions}))


def test_missing_folder_is_a_rulebook_error(tmp_path: Path) -> None:
    assert "no such folder" in error_of(tmp_path / "nope")


def test_lint_warns_about_unread_questions_and_unmoved_domains(make_rulebook: Make) -> None:
    rules = '[[rule]]\nid = "r"\nwhen = "size > 3"\neffects = { d1 = 1.0 }\nbecause = "x"'
    book, findings = check_rulebook(make_rulebook(**{"rules.toml": rules}))
    assert book is not None
    messages = [str(f) for f in findings if f.severity == "warning"]
    assert any("question 'mood'" in m and "no rule reads" in m for m in messages)
    assert any("domain 'd2'" in m and "no rule moves" in m for m in messages)


def test_rules_in_a_subfolder_and_examples_anywhere(make_rulebook: Make) -> None:
    folder = make_rulebook(
        **{
            "rules__extra.toml": '[[rule]]\nid = "extra"\nwhen = "mood <= 2"\neffects = { d2 = 1.0 }\nbecause = "x"',
            "examples.toml": '[[example]]\nid = "e"\nanswers = { size = 60 }\nexpect = { d1 = "lean_tight" }',
        }
    )
    book = load_rulebook(folder)
    assert "extra" in {r.id for r in book.rules}
    assert book.examples[0].expect == {"d1": "lean_tight"}


def test_sha256_changes_with_content(make_rulebook: Make) -> None:
    first = load_rulebook(make_rulebook()).sha256
    second = load_rulebook(make_rulebook(**{"domains.toml": MINI_DOMAINS_RETITLED})).sha256
    assert first != second


MINI_DOMAINS_RETITLED = """
[[domain]]
id = "d1"
title = "Domain one, renamed"
[[domain]]
id = "d2"
title = "Domain two"
"""


def test_cache_hit_gives_the_same_rulebook_and_damage_is_a_miss(
    make_rulebook: Make, private_cache: Path
) -> None:
    folder = make_rulebook()
    first = load_rulebook(folder)
    cached = list((private_cache / "holdtight").glob(f"rulebook-*-{first.sha256}.json"))
    assert len(cached) == 1 and (cached[0].stat().st_mode & 0o777) == 0o600
    second = load_rulebook(folder)
    assert second.sha256 == first.sha256
    assert [r.id for r in second.rules] == [r.id for r in first.rules]
    answers = {"size": 60, "team": "big", "aims": ["a"], "detail": "x"}
    from holdtight.engine import score

    assert score(second, answers) == score(first, answers)
    cached[0].write_text("{not json")
    assert load_rulebook(folder).sha256 == first.sha256
    cached[0].write_text(cached[0].read_text().replace("size >= 50", "__import__('os')"))
    assert len(load_rulebook(folder).rules) == len(first.rules)


def test_more_than_six_decimals_is_counted_to_six_with_a_warning(make_rulebook: Make) -> None:
    from holdtight.rulebook import check_rulebook

    rules = '[[rule]]\nid = "r"\nwhen = "true"\neffects = { d1 = 0.1234567 }\nbecause = "x"'
    folder = make_rulebook(**{"rules.toml": rules})
    _, findings = check_rulebook(folder)
    warnings = [str(f) for f in findings if f.severity == "warning"]
    assert any(
        "rule 'r', field 'effects.d1'" in w
        and "0.1234567 has more than six decimals: counted as 0.123457" in w
        for w in warnings
    ), warnings
