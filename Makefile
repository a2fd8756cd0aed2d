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

# JupyterLab on this machine only (127.0.0.1, with its login token); as root too, where
# Jupyter refuses to start without --allow-root. Extra options: make lab ARGS="--port 8899".
ARGS ?=
lab:
	bash scripts/bootstrap.sh lab
	$(BIN)/jupyter lab notebooks/ --ip=127.0.0.1 $(if $(filter 0,$(shell id -u)),--allow-root) $(ARGS)

bench: setup-test
	$(BIN)/python benchmarks/run.py

lint: setup-test
	$(BIN)/ruff check fazhi tests benchmarks

clean:
	rm -rf outputs .fazhi-cache
