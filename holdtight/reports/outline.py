"""What a report says and in what order, built once: Markdown, HTML, the terminal and the
TUI's domain detail only format it. Labels, never ids; every character a person wrote is
kept (formatters escape for their medium; only the terminal strips control characters).

Order: page one is the executive summary (who, when, which rulebook; hold tight / balance
/ leave loose, each with its one most important guard rail; flags; the earned-autonomy
path; three next steps), then one page per group of domains, then the appendices (every
answer, other answers that would change a setting, the method, sources)."""

from __future__ import annotations

from collections.abc import Mapping

from holdtight.model import (
    SETTINGS,
    AnswerValue,
    FiredRule,
    Lever,
    Result,
    Rulebook,
    Session,
    tightness,
)
from holdtight.reports.data import answer_text
from holdtight.reports.outline_model import (
    AnswerLine,
    AnswerSection,
    DomainView,
    GroupKey,
    LeverGroup,
    LeverLine,
    Outline,
    Page,
    PathStep,
    Reason,
    SummaryGroup,
    SummaryItem,
)
from holdtight.reports.phrases import (
    earned,
    headline_scenarios,
    listed,
    readable_warnings,
    setting_phrase,
)
from holdtight.scoring import shown_questions
from holdtight.sessionfile import written_under_other_rulebook
from holdtight.terminal_text import bidi_isolated

OUTLINE_SCHEMA = 2
LEVERS_SHOWN = 3
REASONS_SHOWN = 4
"""Reasons shown on a domain's page, strongest first; the rest are summed in one line."""
"""Actionable levers shown on a domain's page; the rest go to the appendix."""
ACTIONABLE_SECTIONS = frozenset({"vision", "capacity"})
"""Answers a leader can change (vision and capacity), unlike the system's context."""
KNOWN_META = ("organization", "respondent", "prepared_for", "prepared_by")
GROUPS: tuple[tuple[GroupKey, str, frozenset[str]], ...] = (
    ("tight", "What to hold tight", frozenset({"tight", "lean_tight"})),
    ("balance", "What to balance", frozenset({"balanced"})),
    ("loose", "What to leave loose", frozenset({"lean_loose", "loose"})),
)


def _signed(value: float) -> str:
    return f"{value:+g}".replace("-", "−")


def _direction(weight: float) -> str:
    if weight > 0:
        return f"toward tight, {_signed(weight)}"
    if weight < 0:
        return f"toward loose, {_signed(weight)}"
    return "no weight"


def reasons(rulebook: Rulebook, because: tuple[FiredRule, ...]) -> tuple[Reason, ...]:
    """The fired rules as reasons that read; rules sharing a text become one reason."""
    merged: dict[str, tuple[float, list[str], list[str], list[str]]] = {}
    for fired in because:
        weight, bounds, answers, labels = merged.setdefault(fired.text, (0.0, [], [], []))
        if fired.bound:
            for bound in fired.bound.split(", "):
                words, _, setting = bound.rpartition(" ")
                bounds.append(f"holds it {words} {rulebook.setting_label(setting)}")
        for question_id, value in fired.reads:
            question = rulebook.questions.get(question_id)
            prompt = question.prompt if question is not None else question_id
            label = answer_text(rulebook, question_id, value)
            if f"{prompt} — {label}" not in answers:
                answers.append(f"{prompt} — {label}")
                labels.append(label)
        merged[fired.text] = (weight + fired.weight, bounds, answers, labels)
    out = []
    for text, (weight, bounds, answers, labels) in merged.items():
        parts = ([_direction(weight)] if weight else []) + bounds
        direction = "; ".join(parts) or "no weight"
        out.append(Reason(text, weight, direction, tuple(answers), tuple(labels)))
    out.sort(key=lambda r: -abs(r.weight))
    return tuple(out)


def confidence_words(
    confidence: str, answered: int, relevant: int, because: tuple[FiredRule, ...]
) -> str:
    """Confidence in words: what it rests on (answers, and whether the reasons agree)."""
    toward_tight = sum(f.weight for f in because if f.weight > 0)
    toward_loose = -sum(f.weight for f in because if f.weight < 0)
    if toward_tight and toward_loose:
        pull = (
            f"reasons pull both ways ({_signed(toward_tight)} tight, "
            f"{_signed(-toward_loose)} loose)"
        )
    elif toward_tight or toward_loose:
        weighted = sum(1 for f in because if f.weight)
        pull = "a single reason" if weighted == 1 else "the reasons agree"
    else:  # no weighted reason (a bound may still hold it: the reasons say so)
        pull = "no answer moves its score yet"
    if not relevant:
        rests = "no question bears on it"
    elif not answered:
        rests = (
            "the one question that bears on it is not answered yet"
            if relevant == 1
            else f"none of the {relevant} questions that bear on it is answered yet"
        )
    else:
        rests = f"{answered} of {relevant} relevant questions answered"
    lead = {"high": "High", "medium": "Medium, a working hypothesis", "low": "Low, check first"}
    return f"{lead[confidence]}: {rests}; {pull}."


def _lever_lines(
    rulebook: Rulebook,
    setting: str,
    levers: tuple[Lever, ...],
    answers: Mapping[str, AnswerValue] | None = None,
) -> list[tuple[str, LeverLine]]:
    """(question id, line) per question and outcome, looser outcomes first. `answers`:
    the session's, to say a multiple-choice lever as the option it adds or removes."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for lever in levers:
        current = answers.get(lever.question) if answers is not None else None
        grouped.setdefault((lever.question, lever.setting), []).append(
            _lever_answer(rulebook, lever, current)
        )
    lines = []
    for (question_id, target), texts in grouped.items():
        question = rulebook.questions[question_id]
        joined = listed(texts, "or")
        looser = tightness(target) < tightness(setting)
        line = LeverLine(question.prompt, joined, rulebook.setting_label(target), looser)
        lines.append((question_id, line))
    lines.sort(key=lambda item: not item[1].looser)
    return lines


def _lever_answer(rulebook: Rulebook, lever: Lever, current: AnswerValue | None) -> str:
    """A lever's answer as a person reads it. A multiple-choice lever changes one option
    of the answer given: it says which ("with Efficiency and cost added"), where the whole
    new list would be a run of labels that hold commas themselves."""
    new = lever.answer
    if isinstance(new, list) and isinstance(current, list):
        added = [item for item in new if item not in current]
        removed = [item for item in current if item not in new]
        question = rulebook.questions[lever.question]
        if len(added) + len(removed) == 1:
            item = (added or removed)[0]
            change = "added" if added else "removed"
            return f"with {question.option_label(item)} {change}"
    return answer_text(rulebook, lever.question, new)


def _smaller(rest: tuple[Reason, ...]) -> str:
    if not rest:
        return ""
    total = sum(r.weight for r in rest)
    together = _direction(total) if total else "cancelling out"
    return f"{_count(len(rest), 'smaller reason')} together: {together}."


def other_levers_text(view: DomainView) -> str:
    """A domain's other levers in one line: each question once, with the settings its
    other answers would give, e.g. 'How many schools…? (Balanced, Lean loose)'."""
    targets: dict[str, list[str]] = {}
    for line in view.other_levers:
        settings = targets.setdefault(line.prompt, [])
        if line.setting_label not in settings:
            settings.append(line.setting_label)
    return "; ".join(f"{prompt} ({', '.join(s)})" for prompt, s in targets.items())


def _section_title(rulebook: Rulebook, section_id: str) -> str:
    for section in rulebook.sections:
        if section.id == section_id:
            return section.title.split(" — ")[0]
    return section_id


def domain_view(
    rulebook: Rulebook,
    result: Result,
    domain_id: str,
    answers: Mapping[str, AnswerValue] | None = None,
) -> DomainView:
    """One domain as the report shows it, for a session's `answers`. The TUI's domain
    detail formats this too (see `holdtight.reports.terminal.domain_detail_renderable`)."""
    d = result.domain(domain_id)
    domain = rulebook.domain(domain_id)
    actionable: dict[str, list[LeverLine]] = {}  # by section id
    rest: list[LeverLine] = []
    shown = 0
    for question_id, line in _lever_lines(rulebook, d.setting, d.levers, answers):
        question = rulebook.questions[question_id]
        if (
            question.section in ACTIONABLE_SECTIONS
            and question.kind != "text"
            and shown < LEVERS_SHOWN
        ):
            actionable.setdefault(question.section, []).append(line)
            shown += 1
        else:
            rest.append(line)
    every_reason = reasons(rulebook, d.because)
    shown_reasons = tuple(
        r for i, r in enumerate(every_reason) if i < REASONS_SHOWN or "holds it" in r.direction
    )
    rest_reasons = tuple(r for r in every_reason if r not in shown_reasons)
    held_by = ""
    if d.bound_note:
        held_by = f"A firm rule holds it here (the score alone would give {rulebook.setting_label(d.raw_setting)})."
    borderline = setting_phrase(rulebook, d) if d.borderline else ""
    by_id = {setting.id: setting for setting in d.scenarios}
    road = [("Now", rulebook.setting_label(d.setting))]
    for scenario in headline_scenarios(rulebook):
        if scenario.id in by_id:
            road.append((scenario.title, rulebook.setting_label(by_id[scenario.id].setting)))
    earned_by = tuple(f"{item.setting}: {item.title}" for item in earned(rulebook, d))
    return DomainView(
        id=d.id,
        title=d.title,
        setting=d.setting,
        setting_label=rulebook.setting_label(d.setting),
        confidence=d.confidence,
        confidence_words=confidence_words(d.confidence, d.answered, d.relevant, d.because),
        tight_means=domain.tight_means,
        loose_means=domain.loose_means,
        starting_point=f"Starting point before any answer: {_direction(domain.bias)}."
        if domain.bias
        else "Starting point before any answer: balanced (no lean).",
        reasons=shown_reasons,
        smaller=_smaller(rest_reasons),
        all_reasons=every_reason,
        held_by=held_by,
        guard_rails=tuple(rail.text for rail in d.guard_rails),
        levers=tuple(
            LeverGroup(_section_title(rulebook, section), section, tuple(lines))
            for section, lines in actionable.items()
        ),
        other_levers=tuple(rest),
        borderline=borderline,
        road=tuple(road),
        earned_by=earned_by,
    )


NO_PATH = (
    "With these answers, meeting a readiness bar would change no setting: schools that"
    " meet one keep the settings all schools have."
)
"""The earned-autonomy path where no readiness bar changes a setting (`_path` empty)."""


def _path(rulebook: Rulebook, result: Result) -> tuple[PathStep, ...]:
    """The earned-autonomy path: each readiness scenario whose bar, once met, changes
    what schools decide, with the domains it changes."""
    steps = []
    for position, scenario in enumerate(result.scenarios):
        if scenario.kind != "readiness":
            continue
        opens = []
        for d in result.domains:
            then = d.scenarios[position].setting
            if then != d.setting:
                opens.append(
                    f"{d.title}: from {rulebook.setting_label(d.setting)} to "
                    f"{rulebook.setting_label(then)}"
                )
        if opens:
            steps.append(PathStep(scenario.title, scenario.criteria, tuple(opens)))
    return tuple(steps)


def _meta_text(session: Session, key: str) -> str:
    """A name from the session's meta, as written, isolated so that its writing
    direction stays inside it wherever a document places it."""
    return bidi_isolated(str(session.meta.get(key, "")).strip())


def build_outline(rulebook: Rulebook, session: Session, result: Result) -> Outline:
    views = [domain_view(rulebook, result, d.id, session.answers) for d in result.domains]
    summary = []
    for key, title, settings in GROUPS:
        items = []
        for view, d in zip(views, result.domains, strict=True):
            if d.setting in settings:
                flags: tuple[str, ...] = ("low confidence",) if d.confidence == "low" else ()
                if view.borderline:
                    flags += ("borderline, " + view.borderline.split(", ", 1)[-1],)
                rail = view.guard_rails[0] if view.guard_rails else ""
                items.append(SummaryItem(view.title, view.setting_label, rail, flags))
        summary.append(SummaryGroup(key, title, tuple(items)))
    to_check = [v for v in views if v.confidence == "low" or v.borderline]
    flagged = tuple(_flag(v) for v in to_check)
    path = _path(rulebook, result)
    pages = tuple(
        Page(title, tuple(v for v in views if v.setting in settings))
        for _, title, settings in GROUPS
        if any(v.setting in settings for v in views)
    )
    answers = []
    # A question never asked (its `show_if` false) and never answered is not listed.
    asked = {*shown_questions(rulebook, session.answers), *session.answers}
    for section in rulebook.sections:
        lines = [
            AnswerLine(
                q.prompt,
                answer_text(rulebook, q.id, session.answers.get(q.id)),
                session.notes.get(q.id, ""),
            )
            for q in rulebook.questions.values()
            if q.section == section.id and q.id in asked
        ]
        answers.append(AnswerSection(section.title, tuple(lines)))
    if session.unknown:
        answers.append(
            AnswerSection(
                "Answers to questions this rulebook no longer asks",
                tuple(AnswerLine(key, str(value), "") for key, value in session.unknown.items()),
            )
        )
    updated = session.header.updated or session.header.created
    date = updated.date().isoformat() if updated else ""
    other = written_under_other_rulebook(session.header, rulebook)
    rulebook_note = (
        f"These answers were given under version {session.header.rulebook_version or 'unknown'} "
        f"of the rulebook and are scored here under version {rulebook.version}."
        if other
        else ""
    )
    organization = _meta_text(session, "organization") or "Unnamed organization"
    return Outline(
        schema=OUTLINE_SCHEMA,
        organization=organization,
        prepared_for=_meta_text(session, "prepared_for") or organization,
        prepared_by=_meta_text(session, "prepared_by") or _meta_text(session, "respondent") or "—",
        date=date or "not recorded",
        date_meaning="the day these answers were last saved"
        if date
        else "the answer file does not say when it was written",
        rulebook_title=rulebook.meta.title,
        rulebook_version=rulebook.version,
        rulebook_note=rulebook_note,
        details=tuple(
            (key.replace("_", " ").capitalize(), str(value))
            for key, value in session.meta.items()
            if key not in KNOWN_META
        ),
        posture=_posture(rulebook, result),
        survey=_survey(rulebook),
        vision_statement=str(session.answers.get("vision_statement", "") or ""),
        summary=tuple(summary),
        setting_labels=tuple((s, rulebook.setting_label(s)) for s in SETTINGS),
        flagged=flagged,
        check_first=_check_first(to_check, len(views), result),
        path=path,
        next_steps=_next_steps(summary, path, result, flagged),
        pages=pages,
        answers=tuple(answers),
        method=_method(rulebook),
        reflection=tuple(rulebook.meta.reflection),
        sources=tuple(
            (
                ", ".join(part for part in (s.author, s.title) if part),
                s.url,
            )
            for s in rulebook.meta.sources
        ),
        warnings=readable_warnings(rulebook, (*result.warnings, *session.warnings)),
        domains=tuple(views),
    )


def _posture(rulebook: Rulebook, result: Result) -> str:
    labels = rulebook.meta.posture.labels
    label = labels.get(result.posture_label, result.posture_label.replace("_", " ").capitalize())
    return (
        f"Posture: {label} ({_signed(round(result.posture_index, 2))} on a scale from −1, "
        "everything left to schools, to +1, everything held centrally)."
    )


def _survey(rulebook: Rulebook) -> str:
    survey = rulebook.meta.posture.survey
    if survey is None:
        return ""
    # The source names the survey (often with its size): said once, not twice.
    return (
        f"Of the {survey.respondents} leaders from {survey.systems} systems surveyed, "
        f"{survey.more_centralized:g}% reported a more centralized approach, "
        f"{survey.midway:g}% placed themselves midway and {survey.more_decentralized:g}% "
        f"a more decentralized one (source: {survey.source.split(',')[0]})."
    )


def _next_steps(
    summary: list[SummaryGroup],
    path: tuple[PathStep, ...],
    result: Result,
    flagged: tuple[str, ...],
) -> tuple[str, ...]:
    steps = []
    tight = summary[0].items
    if tight and tight[0].guard_rail:
        steps.append(
            f"{tight[0].domain} ({tight[0].setting_label}): put its first guard rail in "
            f"place: {tight[0].guard_rail}"
        )
    if path:
        steps.append(
            f"Publish the bar for '{path[0].title}' so that schools can earn what it opens "
            f"({len(path[0].opens)} domain{'s' if len(path[0].opens) != 1 else ''})."
        )
    open_count = result.shown - result.answered
    if open_count:
        steps.append(
            f"Close the gaps: {_count(open_count, 'question')} unanswered or not sure"
            + (f"; check {_count(len(flagged), 'flagged setting')} first." if flagged else ".")
        )
    elif flagged:
        steps.append(
            f"Every question is answered: check the {_count(len(flagged), 'flagged setting')} "
            "with the people who know those areas best."
        )
    steps.append(
        "Ask each member of the leadership team to answer the same questions, then compare "
        "the answers together (holdtight team) and settle the differences."
    )
    return tuple(steps[:3])


_CHECK_FIRST_LISTED = 4
"""Up to this many flagged settings are named one by one under "Check first"."""


def _check_first(to_check: list[DomainView], domains: int, result: Result) -> str:
    """What to check first: the flagged settings by name when they are few; when more
    are, how many and why (too few answers, or close to the next setting)."""
    if len(to_check) <= _CHECK_FIRST_LISTED:
        return "; ".join(_flag(v) for v in to_check) + ("." if to_check else "")
    which = (
        f"every setting (all {domains})"
        if len(to_check) == domains
        else f"the {len(to_check)} flagged settings above"
    )
    if result.shown and result.answered * 2 < result.shown:
        answered = (
            f"only {result.answered} of {result.shown} questions "
            + ("is" if result.answered == 1 else "are")
            + " answered"
            if result.answered
            else f"none of the {result.shown} questions is answered yet"
        )
        return (
            f"{which}: {answered}, so these settings rest on few answers; answer more "
            "before leaning on them."
        )
    low = sum(v.confidence == "low" for v in to_check)
    close = sum(bool(v.borderline) for v in to_check)
    why = [
        *([f"{close} close to the next setting"] if close else []),
        *([f"{low} with low confidence"] if low else []),
    ]
    return f"{which} ({', '.join(why)})."


def _flag(view: DomainView) -> str:
    """One line per flagged domain: 'Title: Balanced, close to lean tight, low confidence'."""
    text = f"{view.title}: {view.borderline or view.setting_label}"
    return text + (", low confidence" if view.confidence == "low" else "")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _method(rulebook: Rulebook) -> tuple[str, ...]:
    return (
        "Each domain starts from a starting point and each answer that matters adds weight "
        "toward tight or toward loose; the total places the domain on five settings from "
        f"{rulebook.setting_label('tight')} to {rulebook.setting_label('loose')}.",
        "A few firm rules hold a domain at least or at most a setting whatever the total.",
        "Confidence combines how many of the questions that bear on a domain were answered "
        "with whether the reasons agree.",
        "Guard rails are what a setting needs to work; levers are the answers that, changed "
        "alone, would move a setting.",
        "This is decision support: discuss it, challenge it, and decide together.",
    )
