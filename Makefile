# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCKS := requirements/bootstrap.txt requirements/runtime.txt requirements/dev.txt
COMPILE := $(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes

.PHONY: run test lint typecheck unit docs docs-serve wheel lock bench clean

# The hashed lock first (pip refuses an editable install under --require-hashes), then the project alone.
# Byte-compiled once here, since PYTHONDONTWRITEBYTECODE may keep Python from caching it on first use.
$(STAMP): pyproject.toml $(LOCKS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements/bootstrap.txt
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m compileall -q src
	touch $(STAMP)

run: $(STAMP)
	mkdir -p var
	CLONAGUARD_DATABASE_URL=$${CLONAGUARD_DATABASE_URL:-sqlite:///./var/clonaguard.db} $(BIN)/clonaguard serve

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -n auto --dist loadgroup

# The documentation site, reference pages generated from the sources; --strict fails on a broken link.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 DISABLE_MKDOCS_2_WARNING=true $(BIN)/mkdocs build --strict --quiet --site-dir build/site

docs-serve: $(STAMP)
	NO_MKDOCS_2_WARNING=1 DISABLE_MKDOCS_2_WARNING=true $(BIN)/mkdocs serve

# What users install: build sdist and wheel, install the wheel into a fresh environment, smoke-test it there.
wheel: $(STAMP)
	$(BIN)/pytest smoke -p no:cacheprovider

test: lint typecheck unit docs wheel

# Regenerate the hashed locks from pyproject.toml (exact pins in constraints.txt win), after any dependency change.
lock: $(STAMP)
	$(COMPILE) requirements/bootstrap.in -o requirements/bootstrap.txt
	$(COMPILE) -c constraints.txt pyproject.toml -o requirements/runtime.txt
	$(COMPILE) -c constraints.txt -c requirements/runtime.txt --extra postgres --extra test --extra docs \
		pyproject.toml -o requirements/dev.txt

bench: $(STAMP)
	$(BIN)/python bench/check_throughput.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist
