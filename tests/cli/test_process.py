"""What only a real process shows: the installed command and `python -m holdtight` run,
`holdtight score` never loads Textual, signals end the command, and the progress bar
appears on a terminal. Everything else about the command line is tested in-process."""

from __future__ import annotations

import json
import os
import pty
import signal
import subprocess
import sys
import time
from pathlib import Path

from holdtight import __version__
from holdtight.batch import MAX_STDIN_LINE
from tests.helpers import EXAMPLES, FIXED_ENV, HOLDTIGHT, Cli, run_process

ANSWER = json.dumps({"answers": {"schools": 12}})


def test_installed_command_and_python_m_run() -> None:
    version = run_process("--version")
    assert version.returncode == 0 and version.stdout.strip() == f"holdtight {__version__}"
    scored = run_process("score", str(EXAMPLES), "--format", "jsonl")
    assert scored.returncode == 0, scored.stderr
    assert all(json.loads(line)["ok"] for line in scored.stdout.splitlines())
    module = subprocess.run(
        [sys.executable, "-m", "holdtight", "score", "-", "--format", "csv"],
        input=ANSWER + "\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert module.returncode == 0, module.stderr
    assert len(module.stdout.splitlines()) == 2  # header and one row
    usage = run_process("score")
    assert usage.returncode == 2 and usage.stderr.startswith("holdtight: ")


def test_score_never_imports_textual(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_text("[answers]\nschools = 12\n")
    code = (
        "import sys; from holdtight.cli import main; "
        f"rc = main(['score', {str(path)!r}, '--format', 'jsonl']); "
        "assert rc == 0; "
        "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]; "
        "print('LOADED', bad, file=sys.stderr); sys.exit(3 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _start_scoring(
    tmp_path: Path, *extra: str, group: bool = False
) -> tuple[subprocess.Popen[str], Path]:
    """`holdtight score - -o OUT` with one answer sent and stdin left open: the command
    has started its output file and waits for more input."""
    out = tmp_path / "out.jsonl"
    env = {**os.environ, **FIXED_ENV}
    env.pop("CI", None)
    process = subprocess.Popen(
        [HOLDTIGHT, "score", "-", "--format", "jsonl", "-o", str(out), *extra],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=group,
    )
    assert process.stdin is not None
    process.stdin.write(ANSWER + "\n")
    process.stdin.flush()
    # The temp file appears when scoring begins; then the command sleeps reading stdin.
    while not list(tmp_path.glob(".out.jsonl.*.tmp")) or _state(process.pid) != "S":
        assert process.poll() is None, process.communicate()
        time.sleep(0.01)
    return process, out


def _state(pid: int) -> str:
    """The process's state letter from /proc (S: sleeping, e.g. waiting for input)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat.rpartition(")")[2].split()[0]


def test_sigint_stops_with_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    process, out = _start_scoring(tmp_path)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130
    assert stderr.strip() == "holdtight: interrupted" and stdout == ""
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_ctrl_c_during_jobs_is_one_line_with_no_worker_traceback(tmp_path: Path) -> None:
    process, out = _start_scoring(tmp_path, "--jobs", "2", group=True)
    os.killpg(process.pid, signal.SIGINT)  # as ctrl+c does: the whole process group
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130
    assert stderr.strip() == "holdtight: interrupted" and stdout == ""
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_sigterm_ends_the_command(tmp_path: Path) -> None:
    process, out = _start_scoring(tmp_path)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == -signal.SIGTERM
    assert stderr.strip() == "holdtight: terminated"
    # The temp file beside -o OUT is gone too (issue 11, item 12).
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_progress_bar_only_on_a_terminal(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(400):
        (folder / f"{i:03}.toml").write_text(f"[answers]\nschools = {i + 1}\n")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    leader, follower = pty.openpty()
    process = subprocess.run(
        [HOLDTIGHT, "score", str(folder), "--format", "csv"],
        stdout=subprocess.PIPE,
        stderr=follower,
        env={**env, "TERM": "xterm", "COLUMNS": "80"},
        timeout=120,
    )
    os.close(follower)
    seen = b""
    try:
        while True:
            chunk = os.read(leader, 65536)
            if not chunk:
                break
            seen += chunk
    except OSError:
        pass
    os.close(leader)
    assert process.returncode == 0
    assert b"scoring" in seen  # the bar was drawn on the terminal
    assert b"scoring" not in process.stdout and len(process.stdout.splitlines()) == 401
    piped = cli("score", str(folder), "--format", "csv")
    assert "scoring" not in piped.stderr
    # Results drawn on the same terminal: no bar (rows came out between its redraws,
    # and copied rows carried its text).
    leader, follower = pty.openpty()
    both = subprocess.Popen(
        [HOLDTIGHT, "score", str(folder), "--format", "csv"],
        stdout=follower,
        stderr=follower,
        env={**env, "TERM": "xterm", "COLUMNS": "80"},
    )
    os.close(follower)
    seen = b""
    try:  # read as it comes: a terminal holds only a few kilobytes unread
        while True:
            chunk = os.read(leader, 65536)
            if not chunk:
                break
            seen += chunk
    except OSError:  # the last writer closed it
        pass
    os.close(leader)
    assert both.wait(timeout=120) == 0
    assert b"scoring" not in seen and seen.count(b"\n") == 401


def test_the_app_ends_when_its_terminal_goes_away(tmp_path: Path) -> None:
    """A pane closed in the app's first tenth of a second left Textual's driver without
    its output thread, and the process waited forever, outliving its terminal: a
    watcher ends it once the terminal is gone (here the app is a sleep that would
    never end by itself; the race itself cannot be timed reliably in a test)."""
    program = (
        "import time; from holdtight.tui import _end_when_the_terminal_is_gone as watch; "
        "watch(poll=0.05, grace=0.1); time.sleep(120)"
    )
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-c", program],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        start_new_session=True,
    )
    os.close(follower)
    time.sleep(0.5)  # the watcher sees a terminal first
    assert process.poll() is None
    os.close(leader)
    try:
        process.wait(timeout=60)  # a hang guard: it ends within a second, or never
    except subprocess.TimeoutExpired:
        process.kill()
        raise AssertionError("the process outlived its terminal") from None


def test_lines_from_a_pausing_pipe_get_their_rows_without_waiting_for_more(
    tmp_path: Path,
) -> None:
    """CSV is scored in chunks of hundreds of lines; a producer that pauses (a log being
    followed, a stream) gets the rows of what it sent so far, not when a chunk fills."""
    import json
    import select

    env = {**os.environ, **FIXED_ENV}
    process = subprocess.Popen(
        [HOLDTIGHT, "score", "-", "--format", "csv"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert process.stdin is not None and process.stdout is not None
    line = json.dumps({"answers": {"stage": "piloting", "schools": 12}})
    try:
        process.stdin.write(((line + "\n") * 3).encode())
        process.stdin.flush()
        seen = b""
        fd = process.stdout.fileno()
        # A hang guard, not a timing: the rows come at once, or never while stdin is open.
        deadline = time.monotonic() + 60
        while seen.count(b"\n") < 4 and time.monotonic() < deadline:
            if select.select([fd], [], [], 1)[0]:
                seen += os.read(fd, 65536)
        rows = seen.splitlines()
        assert len(rows) == 4, rows  # the header and three rows, stdin still open
        assert all(row.startswith(b"<stdin>:") for row in rows[1:])
    finally:
        process.stdin.close()
        process.wait(timeout=60)
    assert process.returncode == 0


def test_lines_typed_at_a_terminal_get_their_rows_with_jobs_too() -> None:
    """With --jobs, a line typed at a terminal waited for a chunk to fill (or ctrl+d)."""
    import json
    import select

    env = {**os.environ, **FIXED_ENV}
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [HOLDTIGHT, "score", "-", "--format", "csv", "--jobs", "2"],
        stdin=follower,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(follower)
    assert process.stdout is not None
    try:
        line = json.dumps({"answers": {"stage": "piloting", "schools": 12}})
        os.write(leader, (line + "\n").encode())
        seen = b""
        fd = process.stdout.fileno()
        deadline = time.monotonic() + 60  # a hang guard, not a timing
        while seen.count(b"\n") < 2 and time.monotonic() < deadline:
            if select.select([fd], [], [], 1)[0]:
                seen += os.read(fd, 65536)
        assert seen.count(b"\n") == 2, seen  # the header and the row, before ctrl+d
        assert seen.splitlines()[1].startswith(b"<stdin>:1,true,")
    finally:
        os.write(leader, b"\x04")  # ctrl+d: the end of input
        process.wait(timeout=60)
        os.close(leader)
    assert process.returncode == 0


def test_the_command_tells_the_parsers_allocator_not_to_commit_ahead() -> None:
    # toml-rs allocates with mimalloc, which committed its arenas eagerly: a run of
    # 100,000 files peaked 13% above one of 1,000 (the memory target is 10%). The
    # command sets the option before toml-rs loads; mimalloc says what it read.
    env = {k: v for k, v in os.environ.items() if not k.startswith("MIMALLOC_")}
    env["MIMALLOC_VERBOSE"] = "1"
    example = str(next(EXAMPLES.glob("*.toml")))
    for command in ([HOLDTIGHT], [sys.executable, "-m", "holdtight"]):
        result = subprocess.run(
            [*command, "score", example], capture_output=True, text=True, env=env, check=False
        )
        assert result.returncode in (0, 1), result.stderr
        assert "option 'arena_eager_commit': 0" in result.stderr, result.stderr[-2000:]


def test_a_full_or_closed_standard_output_is_one_line() -> None:
    """`> /dev/full` names standard output (it said "None"); a standard output closed
    before the start (`>&-`) was an internal error, and so were a closed standard input and
    a closed standard error."""
    command = [HOLDTIGHT, "score", str(EXAMPLES), "--format", "jsonl"]
    if Path("/dev/full").exists():
        with open("/dev/full", "w") as full:
            result = subprocess.run(command, stdout=full, stderr=subprocess.PIPE, text=True)
        assert result.stderr == (
            "holdtight: standard output: cannot write: No space left on device\n"
        )
    closed = subprocess.run(
        ["sh", "-c", '"$@" >&-', "sh", *command], stderr=subprocess.PIPE, text=True
    )
    assert closed.returncode == 2
    assert closed.stderr == "holdtight: standard output: cannot write: it is closed\n"
    no_input = subprocess.run(
        ["sh", "-c", '"$@" <&-', "sh", HOLDTIGHT, "score", "-"], capture_output=True, text=True
    )
    assert no_input.returncode == 2  # was an internal error
    assert no_input.stderr == "holdtight: standard input: cannot read: it is closed\n"
    assert no_input.stdout == ""
    example = str(next(EXAMPLES.glob("*.toml")))
    for given, code in ((example, 0), (example + ".missing", 1)):
        quiet = subprocess.run(  # standard error closed: was an internal error, on stdout
            ["sh", "-c", '"$@" 2>&-', "sh", HOLDTIGHT, "score", given, "--format", "csv"],
            capture_output=True,
            text=True,
        )
        assert quiet.returncode == code
        assert "internal error" not in quiet.stdout
        assert quiet.stdout.count("\n") == 2  # the header and the file's row
        assert ("no such file" in quiet.stdout) == (code == 1)


def test_standard_input_from_a_file_is_read_as_from_a_pipe(tmp_path: Path) -> None:
    """A file given as standard input is read in blocks split into lines, not through
    Python's buffer: every line, ends and all, is the same line as from a pipe."""
    lines = [json.dumps({"answers": {"schools": k + 1}, "meta": {"organization": f"O{k}"}})
             for k in range(80)]  # fmt: skip
    lines[3] += "\r"  # a CRLF line
    lines[4] = ""
    lines[5] = '{"a" 1'
    lines[6] = "  "
    lines[7] = '{"answers": {}}' + " " * (MAX_STDIN_LINE - 15)  # at the limit
    lines[8] = lines[7] + " "  # past it
    data = ("\n".join(lines)).encode()  # the last line without its end
    given = tmp_path / "lines.jsonl"
    given.write_bytes(data)
    for fmt in ("csv", "jsonl"):
        command = [HOLDTIGHT, "score", "-", "--format", fmt, "--no-header"]
        with open(given, "rb") as feed:
            from_file = subprocess.run(command, stdin=feed, capture_output=True, check=False)
        from_pipe = subprocess.run(command, input=data, capture_output=True, check=False)
        assert from_file.stdout == from_pipe.stdout
        assert from_file.stderr == from_pipe.stderr
        assert from_file.returncode == from_pipe.returncode == 1
        out = from_file.stdout.decode().splitlines()
        assert len(out) == 80
        assert "<stdin>:6: column 6: invalid JSON" in out[5]
        assert "blank line" in out[4] and "blank line" in out[6]
        assert "line is too long" not in out[7] and "line is too long" in out[8]
