# The two commands of the README:
#   make report   render every notebook on the bundled seeds into outputs/
#   make test     run the whole test suite (slow and browser tests included)
# Both set everything up themselves (virtualenv, packages, Jupyter kernel, fonts, Chromium).

VENV := .venv
BIN := $(VENV)/bin
WORKERS ?= 2

.PHONY: report test setup setup-test lab bench lint clean

report: setup
	$(BIN)/fazhi render seeds --out outputs --workers $(WORKERS)

test: setup-test
	bash scripts/install-browser.sh
	$(BIN)/ruff check fazhi tests benchmarks
	$(BIN)/python -m pytest

setup:
	bash scripts/bootstrap.sh

setup-test:
	bash scripts/bootstrap.sh test

lab:
	bash scripts/bootstrap.sh lab
	$(BIN)/jupyter lab notebooks/

bench: setup-test
	$(BIN)/python benchmarks/run.py

lint: setup-test
	$(BIN)/ruff check fazhi tests benchmarks

clean:
	rm -rf outputs .fazhi-cache
