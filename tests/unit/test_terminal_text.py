from holdtight.terminal_text import for_terminal


def test_controls_bidi_and_surrogates_are_replaced_joiners_kept() -> None:
    text = "a\x1b[31mb\x07c\u202ed\u2066e\udc00f\u200cg\u200dh\x9bi"
    out = for_terminal(text)
    assert out == "a?[31mb?c?d?e?f\u200cg\u200dh?i"
    out.encode("utf-8")  # nothing left that an encoder refuses


def test_one_line_and_limit() -> None:
    assert for_terminal("one\ntwo\tthree\r\nfour") == "one two three four"
    assert for_terminal("abcdef", limit=4) == "abc…"
