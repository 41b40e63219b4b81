from holdtight.cli import run

run()
