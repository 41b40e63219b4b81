from holdtight.terminal_text import for_terminal


def test_controls_bidi_and_surrogates_are_replaced_joiners_kept() -> None:
    text = "a\x1b[31mb\x07c\u202ed\u2066e\udc00f\u200cg\u200dh\x9bi"
    out = for_terminal(text)
    assert out == "a?[31mb?c?d?e?f\u200cg\u200dh?i"
    out.encode("utf-8")  # nothing left that an encoder refuses


def test_one_line_and_limit() -> None:
    assert for_terminal("one\ntwo\tthree\r\nfour") == "one two three four"
    assert for_terminal("abcdef", limit=4) == "abc…"


def test_every_unsafe_character_is_replaced_even_with_the_printable_fast_path() -> None:
    """`for_terminal` skips its pattern for printable text: each character the pattern
    replaces must therefore be one `isprintable` refuses."""
    ranges = [(0x00, 0x08), (0x0B, 0x1F), (0x7F, 0x9F), (0x202A, 0x202E), (0x2066, 0x2069)]
    ranges.append((0xD800, 0xDFFF))
    for low, high in ranges:
        for code in range(low, high + 1):
            char = chr(code)
            expected = "a b" if char.isspace() else "a?b"  # white space joins words
            assert for_terminal(f"a{char}b") == expected, hex(code)
    assert for_terminal("a\u00e9\u200db") == "a\u00e9\u200db"  # kept: not in the pattern


def test_long_lines_break_between_words_hanging_under_their_text() -> None:
    from holdtight.terminal_text import wrapped

    item = "- Vision, definition and outcomes (Lean tight) ⚑ low confidence, borderline"
    lines = wrapped(item, 30).split("\n")
    assert all(len(line) <= 30 for line in lines) and len(lines) > 2
    assert all(line.startswith("  ") for line in lines[1:])  # hanging under the text
    assert " ".join(part.strip() for part in lines) == item  # no word cut in two
    assert wrapped(item, 200) == item
    quote = "> *Vision statement:* Every student gets the instruction they need, when they need it"
    assert all(line.startswith("> ") for line in wrapped(quote, 30).split("\n"))
    address = "Source: <https://example.org/a/very/long/address/that/must/stay/whole/to/work>"
    assert "<https://example.org/a/very/long/address/that/must/stay/whole/to/work>" in wrapped(
        address, 30
    ).split("\n")


def test_markdown_keeps_what_a_line_break_would_change() -> None:
    from holdtight.terminal_text import wrapped_markdown

    long = "word " * 30
    text = "\n".join(
        [f"# {long}", f"| {long} | x |", "```", long, "```", f"    {long}", long.strip()]
    )
    out = wrapped_markdown(text, 40).split("\n")
    assert out[:6] == text.split("\n")[:6]  # heading, table row, code: as they were
    assert all(len(line) <= 40 for line in out[6:]) and len(out) > 7
