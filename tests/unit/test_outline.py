"""The report outline, built once: order, labels never ids, reasons that read, curated
levers, flags, text kept whole, and the formatters that only format it."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from holdtight.engine import score
from holdtight.model import FiredRule, Rulebook, Session
from holdtight.reports.documents import html_report, markdown_report
from holdtight.reports.outline import (
    ACTIONABLE_SECTIONS,
    _check_first,
    _flag,
    build_outline,
    confidence_words,
    domain_view,
    reasons,
)
from holdtight.reports.terminal import domain_detail_renderable, render_text
from holdtight.sessionfile import load_session
from tests.helpers import EXAMPLES

WHOLE = "Zahra Rezaei\u200cfar — زهرا رضایی‌فر 👩‍👩‍👧 \u202eabc\u202c"
"""ZWNJ, Persian (right-to-left) text, a ZWJ emoji sequence and bidi controls."""


@pytest.fixture
def session(rulebook: Rulebook) -> Session:
    return load_session(EXAMPLES / "pine-valley-rural.toml", rulebook)


def test_order_and_summary(rulebook: Rulebook, session: Session) -> None:
    result = score(rulebook, session.answers)
    o = build_outline(rulebook, session, result)
    assert [g.title for g in o.summary] == [
        "What to hold tight",
        "What to balance",
        "What to leave loose",
    ]
    listed = [item.domain for g in o.summary for item in g.items]
    assert sorted(listed) == sorted(d.title for d in rulebook.domains)
    assert all(item.guard_rail for g in o.summary for item in g.items)
    assert len(o.next_steps) == 3
    assert o.date == "2026-11-24" and "last saved" in o.date_meaning
    assert o.rulebook_version == rulebook.version and not o.rulebook_note
    # Each domain page belongs to the group of its setting.
    assert [p.title for p in o.pages] == [g.title for g in o.summary if g.items]


def test_borderline_flagged_and_road_ahead(rulebook: Rulebook, session: Session) -> None:
    result = score(rulebook, session.answers)
    o = build_outline(rulebook, session, result)
    tech = next(v for v in o.domains if v.id == "technology")
    assert result.domain("technology").borderline
    assert tech.borderline == "Hold tight, close to lean tight"
    assert any("borderline" in flag for g in o.summary for i in g.items for flag in i.flags)
    assert [stage for stage, _ in tech.road] == [
        "Now",
        "Schools that meet the readiness bar",
        "The next stage of the rollout",
    ]
    # The earned-autonomy path: readiness scenarios that change a setting.
    assert o.path and o.path[0].title == "Schools that meet the readiness bar"
    assert all(" from " in line and " to " in line for step in o.path for line in step.opens)


def test_reasons_read_merge_and_start(rulebook: Rulebook) -> None:
    because = (
        FiredRule("a", 1.0, "Same text.", (("schools", 4),)),
        FiredRule("b", 0.5, "Same text.", (("funding", "grant"),)),
        FiredRule("c", -1.5, "Other text.", ()),
        FiredRule("d", 0.0, "A bound.", (), "at least lean_tight"),
    )
    merged = reasons(rulebook, because)
    assert [r.text for r in merged] == ["Same text.", "Other text.", "A bound."]
    assert merged[0].weight == 1.5 and merged[0].direction == "toward tight, +1.5"
    assert merged[0].answers == (
        "How many schools are in the system? — 4 schools",
        "How is the work funded? — Mostly grants or one-time funds",
    )
    assert merged[1].direction == "toward loose, −1.5"
    assert merged[2].direction == "holds it at least Lean tight"


def test_vision_lists_its_starting_point(rulebook: Rulebook, session: Session) -> None:
    view = domain_view(rulebook, score(rulebook, session.answers), "vision")
    assert view.starting_point == "Starting point before any answer: toward tight, +2."
    assert "relevant questions answered" in view.confidence_words


@pytest.mark.parametrize(
    ("answered", "relevant", "because", "words"),
    [
        (
            0,
            8,
            (),
            "Low, check first: none of the 8 questions that bear on it is answered yet; "
            "no answer moves its score yet.",
        ),
        (
            0,
            1,
            (),
            "Low, check first: the one question that bears on it is not answered yet; "
            "no answer moves its score yet.",
        ),
        (
            3,
            8,
            (FiredRule("a", 1.0, "A.", ()),),
            "Low, check first: 3 of 8 relevant questions answered; a single reason.",
        ),
        (
            8,
            8,
            (FiredRule("a", 1.0, "A.", ()), FiredRule("b", 0.5, "B.", ())),
            "Low, check first: 8 of 8 relevant questions answered; the reasons agree.",
        ),
        (
            8,
            8,
            (FiredRule("a", 1.0, "A.", ()), FiredRule("b", -0.5, "B.", ())),
            "Low, check first: 8 of 8 relevant questions answered; reasons pull both ways "
            "(+1 tight, −0.5 loose).",
        ),
    ],
)
def test_confidence_words_say_what_the_confidence_rests_on(
    answered: int, relevant: int, because: tuple[FiredRule, ...], words: str
) -> None:
    """No "0 of 8 answered" and no "the reasons agree" when there is no reason at all."""
    assert confidence_words("low", answered, relevant, because) == words


def test_check_first_names_a_few_settings_and_counts_many(
    rulebook: Rulebook, session: Session
) -> None:
    barely = replace(session, answers={"system_type": "district"})
    result = score(rulebook, barely.answers)
    outline = build_outline(rulebook, barely, result)
    assert len(outline.flagged) == len(rulebook.domains)
    assert outline.check_first.startswith(f"every setting (all {len(rulebook.domains)}): only 1 of")
    assert "**Check first:** every setting" in markdown_report(rulebook, barely, result)
    answered = build_outline(rulebook, session, score(rulebook, session.answers))
    assert len(answered.flagged) > 4
    assert re.fullmatch(
        rf"the {len(answered.flagged)} flagged settings above \(\d+ close to the next "
        r"setting(, \d+ with low confidence)?\)\.",
        answered.check_first,
    )
    result = score(rulebook, session.answers)
    two = [domain_view(rulebook, result, d) for d in ("vision", "budget")]
    two = [replace(v, borderline=v.borderline or "Balanced, close to lean tight") for v in two]
    assert _check_first(two, 13, result) == "; ".join(_flag(v) for v in two) + "."
    assert _check_first([], 13, result) == ""


def test_levers_curated(rulebook: Rulebook, session: Session) -> None:
    result = score(rulebook, session.answers)
    by_prompt = {q.prompt: q for q in rulebook.questions.values()}
    for d in result.domains:
        view = domain_view(rulebook, result, d.id)
        shown = [line for group in view.levers for line in group.lines]
        assert len(shown) <= 3
        assert all(by_prompt[line.prompt].section in ACTIONABLE_SECTIONS for line in shown)
        assert len(shown) + len(view.other_levers) >= len(
            {(lv.question, lv.setting) for lv in d.levers}
        )
    tech = domain_view(rulebook, result, "technology")
    assert {g.title for g in tech.levers} <= {"Vision", "Capacity"}
    context = [line for line in tech.other_levers if by_prompt[line.prompt].section == "context"]
    assert context  # context levers (how many schools, funding) go to the appendix


def test_text_kept_whole_in_documents(rulebook: Rulebook, session: Session) -> None:
    session.meta["organization"] = WHOLE
    session.meta["prepared_by"] = "A & B <consultants>"
    session.meta["cohort"] = "Spring 2027"  # an extra [meta] field
    session.answers["vision_statement"] = WHOLE
    result = score(rulebook, session.answers)
    md = markdown_report(rulebook, session, result)
    page = html_report(rulebook, session, result)
    for text in (md, page):
        assert WHOLE.replace("\u202e", "").replace("\u202c", "") in text.replace(
            "\u202e", ""
        ).replace("\u202c", "")
        assert "\u200c" in text and "\u200d" in text and "\u202e" in text and "?" * 2 not in text
        assert "Cohort" in text and "Spring 2027" in text
    assert "A &amp; B &lt;consultants&gt;" in page
    # Only the terminal strips control characters.
    terminal = render_text(domain_detail_renderable(rulebook, result, "vision"), width=100)
    assert "\u202e" not in terminal and "Vision, definition and outcomes" in terminal


def test_labels_never_ids(rulebook: Rulebook, session: Session) -> None:
    result = score(rulebook, session.answers)
    md = markdown_report(rulebook, session, result)
    ids = [d.id for d in rulebook.domains] + list(rulebook.questions) + ["lean_tight"]
    ids += [o.id for q in rulebook.questions.values() for o in q.options]
    prose = re.sub(r"<[^>]*>", " ", html_report(rulebook, session, result))  # not attributes
    for identifier in (i for i in ids if "_" in i):
        assert identifier not in md, identifier
        assert identifier not in prose, identifier


def test_other_rulebook_version_is_said(rulebook: Rulebook, session: Session) -> None:
    session.header = replace(session.header, rulebook_version="1.0.0")
    o = build_outline(rulebook, session, score(rulebook, session.answers))
    assert "version 1.0.0" in o.rulebook_note and rulebook.version in o.rulebook_note
    assert "version 1.0.0" in html_report(rulebook, session, score(rulebook, session.answers))


def test_web_addresses_become_links_and_nothing_else() -> None:
    from holdtight.reports.html_doc import linked

    text = linked('See https://example.org/a_b?x=1&y=2. Or javascript:alert(1) <b>"x"</b>')
    assert '<a href="https://example.org/a_b?x=1&amp;y=2">' in text
    assert "</a>. Or javascript:alert(1) &lt;b&gt;&quot;x&quot;&lt;/b&gt;" in text
    assert text.count("<a ") == 1


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_colours_meet_wcag_aa_and_marks_carry_letters() -> None:
    from holdtight.reports.html_doc import CSS, FILLS, LETTERS
    from holdtight.team_documents import FILLS as TEAM_FILLS

    assert all(_contrast("#ffffff", fill) >= 4.5 for fill in FILLS.values())
    assert all(_contrast("#222222", fill) >= 4.5 for fill in TEAM_FILLS.values())
    assert len(set(LETTERS.values())) == 5  # the letter names the setting, not the colour
    assert "overflow-wrap:anywhere" in CSS and "counter(pages)" in CSS and "size:auto" in CSS


def test_terminal_summary_formats_the_same_outline(rulebook: Rulebook, session: Session) -> None:
    from holdtight.reports.terminal import outline_renderable

    session.meta["organization"] = "Org\x1b[31m red"
    result = score(rulebook, session.answers)
    text = render_text(outline_renderable(rulebook, session, result), width=100)
    o = build_outline(rulebook, session, result)
    assert "\x1b" not in text and "Org?[31m red" in text  # only the terminal strips
    assert (
        text.index("What to hold tight") < text.index("What to balance") < text.index("Next steps")
    )
    assert o.path[0].title in text and "borderline" in text


def test_html_says_what_to_check_first_and_keeps_paragraphs_apart(
    rulebook: Rulebook, session: Session
) -> None:
    barely = replace(session, answers={"system_type": "district"})
    page = html_report(rulebook, barely, score(rulebook, barely.answers))
    assert '<p class="check"><b>Check first:</b> every setting (all 13): only 1 of' in page
    full = html_report(rulebook, session, score(rulebook, session.answers))
    # "Road ahead" ends its own paragraph; "What earns a looser setting" starts another.
    assert re.search(r"</b>\.</p><p class=\"conf\"><b>What earns a looser setting\.</b>", full)
    assert "</b> <b>What earns" not in full


def test_next_steps_and_survey_read_truthfully(rulebook: Rulebook, session: Session) -> None:
    result = score(rulebook, session.answers)
    complete = result._replace(answered=result.shown)  # as if every question were answered
    steps = build_outline(rulebook, session, complete).next_steps
    assert not any("0 questions" in step for step in steps)
    assert any(step.startswith("Every question is answered: check the ") for step in steps)
    survey = build_outline(rulebook, session, result).survey
    assert survey.count("leaders") == 1 and "(source: The Learning Accelerator)." in survey


def test_a_bound_alone_is_not_a_reason_that_agrees() -> None:
    bound = (FiredRule("v", 0.0, "Never looser.", (), "at least lean_tight"),)
    assert confidence_words("low", 0, 8, bound).endswith("; no answer moves its score yet.")


def test_the_charts_legend_names_every_setting_by_its_label(
    rulebook: Rulebook, session: Session
) -> None:
    """A setting no domain has was named from its id ("L = Loose"), not its label."""
    from holdtight.reports.html_doc import LETTERS

    barely = replace(session, answers={"system_type": "district"})
    result = score(rulebook, barely.answers)
    assert "loose" not in {d.setting for d in result.domains}  # the case that went wrong
    page = html_report(rulebook, barely, result)
    legend = page.split('<p class="legend">', 1)[1].split("</p>", 1)[0]
    for setting in ("tight", "lean_tight", "balanced", "lean_loose", "loose"):
        assert f"{LETTERS[setting]} = {rulebook.setting_label(setting)}" in legend


def test_each_appendix_is_its_own_section_with_its_heading_outside_the_columns(
    rulebook: Rulebook, session: Session
) -> None:
    """One multi-column block with spanning headings overlapped text across a page break
    in Chromium's print; a domain's heading stays with its first lines."""
    page = html_report(rulebook, session, score(rulebook, session.answers))
    for title in ("Appendix A: every answer", "Appendix B: the readiness bars", "Sources"):
        assert f'<section class="appendix"><h2>{title}</h2><div class="cols">' in page
    assert page.count('<div class="head"><h3>') == len(rulebook.domains)
    assert page.count("<section") == page.count("</section>")


def test_answers_appendix_leaves_out_questions_never_asked(
    rulebook: Rulebook, session: Session
) -> None:
    """A traditional district is never asked about a network's authority: the appendix
    listed it as "not answered". Asked or answered, a question is listed."""
    hidden = next(q for q in rulebook.questions.values() if q.id == "network_authority")
    district = replace(session, answers={"system_type": "traditional_district"})
    prompts = {
        line.prompt
        for section in build_outline(rulebook, district, score(rulebook, district.answers)).answers
        for line in section.lines
    }
    assert hidden.prompt not in prompts and rulebook.questions["schools"].prompt in prompts
    answered = replace(district, answers={**district.answers, "network_authority": "binding"})
    outline = build_outline(rulebook, answered, score(rulebook, answered.answers))
    assert hidden.prompt in {line.prompt for s in outline.answers for line in s.lines}


def test_a_multiple_choice_lever_says_the_option_it_adds_or_removes(
    rulebook: Rulebook,
) -> None:
    """The whole new list ('Targeted, data-driven instruction, Equity of access to
    devices, content and opportunity, …') could not be read: labels hold commas."""
    from holdtight.model import Lever
    from holdtight.reports.outline import _lever_lines

    aims = rulebook.questions["aims"]
    labels = {option.id: option.label for option in aims.options}
    current = ["whole_school_redesign", "student_agency"]
    levers = (
        Lever("aims", [*current, "targeted_instruction"], "tight"),
        Lever("aims", ["student_agency"], "tight"),
        Lever("aims", [*current, "efficiency"], "tight"),
    )
    lines = _lever_lines(rulebook, "balanced", levers, {"aims": current})
    assert [line.answers for _, line in lines] == [
        f"with {labels['targeted_instruction']} added; "
        f"with {labels['whole_school_redesign']} removed; "
        f"or with {labels['efficiency']} added"
    ]
    # Without the session's answers (or with none given) the new list is said whole.
    unanswered = _lever_lines(rulebook, "balanced", levers[:1], {})
    assert unanswered[0][1].answers.startswith(labels["whole_school_redesign"] + "; ")
    # Plain alternatives without commas keep 'A, B or C'.
    from holdtight.reports.phrases import listed

    assert listed(["1", "2", "3"], "or") == "1, 2 or 3"
    # An answer with an 'or' of its own: "No one assigned or A small team or part-time
    # roles" read as three answers.
    assert (
        listed(["No one assigned", "A small team or part-time roles"], "or")
        == "No one assigned; or A small team or part-time roles"
    )


def test_no_path_is_a_sentence_not_a_list_of_one(rulebook: Rulebook, session: Session) -> None:
    """A rulebook whose readiness bars change nothing here (or that has none): the path
    is said in a sentence; a numbered list of one item read as a step."""
    from holdtight.reports.html_doc import html_outline
    from holdtight.reports.markdown_doc import markdown_outline

    o = replace(build_outline(rulebook, session, score(rulebook, session.answers)), path=())
    page = html_outline(o)
    path = page.split("<h3>The earned-autonomy path</h3>", 1)[1].split("<h3>", 1)[0]
    assert (
        path.strip()
        == "<p>With these answers, meeting a readiness bar would change no setting: schools that meet one keep the settings all schools have.</p>"
    )
    text = markdown_outline(o)
    path = text.split("### The earned-autonomy path", 1)[1].split("###", 1)[0]
    assert (
        path.strip()
        == "With these answers, meeting a readiness bar would change no setting: schools that meet one keep the settings all schools have."
    )
