# The README's commands. `make run` and `make test` set up everything they need on a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV := DEBUG=true

.PHONY: run run-sso test lint check-deploy audit bench concurrency screenshots backup restore clean

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.12 or newer is needed; found " + sys.version.split()[0]) if sys.version_info < (3, 12) else None'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# Bootstrap and Bootstrap Icons (served as static files) and axe-core for the accessibility tests, pinned in package-lock.json.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

## Run the app on SQLite with demo data at http://127.0.0.1:8000, with the background worker that sends its email
## (--no-reload: with DEBUG the worker would run in a reloader's child, which killing $$! leaves running)
## The demo relaxes MFA_REQUIRED_FOR (HR would otherwise set up a second factor at first sign-in; seed_demo says so):
## make run DEMO_MFA_REQUIRED_FOR=hr keeps the production rule.
DEMO_MFA_REQUIRED_FOR ?=
run: $(STAMP) $(NODE_STAMP)
	$(DEV) $(PY) manage.py migrate --no-input
	$(DEV) MFA_REQUIRED_FOR="$(DEMO_MFA_REQUIRED_FOR)" $(PY) manage.py seed_demo
	$(DEV) $(PY) manage.py db_worker --no-reload & trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
		$(DEV) MFA_REQUIRED_FOR="$(DEMO_MFA_REQUIRED_FOR)" $(PY) manage.py runserver 127.0.0.1:8000

## make run, with "Sign in with the demo identity provider": a local OpenID provider (oidc-provider-mock, port 9400)
## that signs in the demo addresses of docs/sso-demo-users.json (the alumna and a stranger are refused)
SSO_DEMO_PORT ?= 9400
run-sso: $(STAMP) $(NODE_STAMP)
	$(VENV)/bin/oidc-provider-mock --host 127.0.0.1 --port $(SSO_DEMO_PORT) --user-claims-file docs/sso-demo-users.json & \
		trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
		SSO_OIDC_URL=http://127.0.0.1:$(SSO_DEMO_PORT) SSO_OIDC_CLIENT_ID=alliance-demo SSO_OIDC_SECRET=demo-only \
		SSO_NAME="the demo identity provider" $(MAKE) run

## Run the whole test suite (SQLite by default; set DATABASE_URL for PostgreSQL): one pytest-xdist worker per core,
## each with its own database, live server and Chromium; the 20 slowest tests are listed at the end.
TEST_WORKERS ?= auto
test: $(STAMP) $(NODE_STAMP)
	$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal --durations=20 $(PYTEST_ARGS)

lint: $(STAMP) $(NODE_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(DEV) $(PY) manage.py makemigrations --check --dry-run

## Django's deployment checks with production settings
check-deploy: $(STAMP) $(NODE_STAMP)
	DEBUG=false EMAIL_URL=smtp+tls://alliance@smtp.example.com:587 SECRET_KEY=check-deploy-$$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n') ALLOWED_HOSTS=alliance.example.com \
		$(PY) manage.py check --deploy --fail-level WARNING

## Known vulnerabilities in the pinned packages (pip-audit over the installed virtualenv; fails on any).
## Needs PyPI's per-release JSON API or OSV; where neither answers it says so loudly instead of passing quietly.
audit: $(STAMP)
	@if curl -sfo /dev/null --max-time 20 https://pypi.org/pypi/django/$$($(PY) -c 'import django; print(django.__version__)')/json; then \
		$(VENV)/bin/pip-audit --strict --progress-spinner off; \
	elif curl -sfo /dev/null --max-time 20 -d '{"package": {"name": "django", "ecosystem": "PyPI"}}' https://api.osv.dev/v1/query; then \
		$(VENV)/bin/pip-audit --strict --progress-spinner off --vulnerability-service osv; \
	else \
		echo "*** pip-audit: NOT AUDITED. Neither PyPI's vulnerability API nor OSV answers from this machine."; \
		if [ "$$AUDIT_REQUIRED" = true ]; then exit 1; fi; \
	fi

## The app under gunicorn (DEBUG off) on PostgreSQL at 10,000 employees: times, queries, bytes, wrk load run;
## writes bench/RESULTS.md. Options: make bench BENCH_ARGS="--employees 1000 --duration 15s"
bench: $(STAMP) $(NODE_STAMP)
	bench/run $(BENCH_ARGS)

## Two gunicorns on one PostgreSQL (127.0.0.1:5432, a fresh database): many concurrent edits, signatures, reminder runs
concurrency: $(STAMP) $(NODE_STAMP)
	$(PY) bench/concurrency.py

## Screenshots of every page kind per demo role at 1280 and 390 px, and page weights, into docs/screenshots/$(LABEL)/
## (a throwaway SQLite demo database and development server; Chromium at /usr/bin/chromium). make screenshots LABEL=before
LABEL ?= after
screenshots: $(STAMP)
	$(PY) docs/screenshots/make.py --label $(LABEL)

## A copy of the whole database (DATABASE_URL, default SQLite) into backups/: SQLite's online backup or pg_dump
backup: $(STAMP)
	$(PY) manage.py backup $(FILE)

## A backup into an empty database (the configured one; stop the app first): make restore FILE=backups/alliance-….sqlite3
restore: $(STAMP)
	@test -n "$(FILE)" || { echo "Say which backup: make restore FILE=backups/alliance-….sqlite3"; exit 2; }
	$(PY) manage.py restore $(FILE)

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache staticfiles
