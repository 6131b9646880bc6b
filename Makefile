# Two commands a new user needs: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install system-deps clean bench fuzz install-check

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/sokbo run --out sokbo-out
	@echo "next: review the drafts with $(BIN)/sokbo serve --out sokbo-out, "\
	  "then open http://127.0.0.1:8000/"

# Debian packages the tests drive for real: Jekyll and Hugo builds, Chromium for browser tests,
# Nanum fonts for title cards, a WordPress (PHP + MariaDB) for publishing, a PostgreSQL server
# (the tests start their own, in a temporary folder).
system-deps:
	@missing=""; \
	for p in jekyll hugo chromium; do command -v $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	[ -f /usr/share/fonts/truetype/nanum/NanumGothic.ttf ] || missing="$$missing fonts-nanum"; \
	[ -f /usr/share/wordpress/wp-settings.php ] || missing="$$missing wordpress"; \
	[ -x /usr/sbin/mariadbd ] || missing="$$missing mariadb-server"; \
	php -m 2>/dev/null | grep -qx mysqli || missing="$$missing php-cli php-mysql"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jekyll hugo chromium fonts-nanum \
	    wordpress php-cli php-mysql mariadb-server postgresql >/dev/null; \
	fi

test: $(STAMP) system-deps
	$(BIN)/python -m pytest -q

# A fresh install as a user makes it: a new venv with the pip bundled with Python (23.2.1 on
# 3.11, which resolves extras badly), `pip install .`, then `sokbo run` on the demo corpus.
install-check:
	rm -rf build/install-check
	$(PY) -m venv build/install-check/venv
	build/install-check/venv/bin/pip --version
	build/install-check/venv/bin/pip install -q .
	cd build/install-check && venv/bin/sokbo run --out out > run.txt 2>&1 || { cat run.txt; exit 1; }
	@ls build/install-check/out/_posts/* >/dev/null && echo "install-check: ok ($$(ls build/install-check/out/_posts | wc -l) posts)"

# Long fuzzing run: >= 100,000 generated and mutated inputs over every untrusted entry point,
# on FUZZ_JOBS processes; prints entry point -> inputs -> crashes and fails on any crash.
FUZZ_JOBS ?= 2
FUZZ_SCALE ?= 1
FUZZ_MIN ?= 100000
# random kill -9s during run, watch and publish, each followed by a rerun (tests/test_kill.py)
FUZZ_KILLS ?= 60
fuzz: $(STAMP)
	$(BIN)/python tests/fuzz/run.py --jobs $(FUZZ_JOBS) --scale $(FUZZ_SCALE) --min-inputs $(FUZZ_MIN)
	SOKBO_KILLS=$(FUZZ_KILLS) $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_kill.py

bench: $(STAMP)
	$(BIN)/sokbo bench quality
	$(BIN)/sokbo bench extract
	$(BIN)/sokbo bench cluster
	$(BIN)/sokbo bench editor

clean:
	rm -rf $(VENV) sokbo-out build *.egg-info src/*.egg-info
