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
