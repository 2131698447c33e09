# The two commands a newcomer needs: `make run` and `make test`. Everything else is set-up they call.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export KIOSK_DATA_DIR ?= instance
export KIOSK_OFFICE_CODE ?= 36.73
# Python keeps the compiled modules (__pycache__, ignored by git): a machine that says not to would compile
# the whole app again in every `kiosk` process, 0.2 s each, and the tests start hundreds of them.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test test-fast install translations extract update compile voice init-db demo-keys demo-office demo-staff bench bench-sync bench-load bench-hub bench-sms bench-growth clean

run: install compile voice init-db demo-keys demo-office
	$(BIN)/kiosk serve

# Every test, on two workers (pytest-xdist: each its own Chromium, ports from free_port, data under tmp_path).
test: install compile voice
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

# The inner loop: everything but Chromium (`browser`) and the tests that start processes (`process`).
test-fast: install compile
	$(BIN)/python -m pytest -n 2 -m "not browser and not process" $(PYTEST_ARGS)

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

init-db: install
	$(BIN)/kiosk init-db

# The demo office's keys and its admin 'admin', on the first `make run`: the password and the recovery key
# are printed once (a real office runs `kiosk init-keys --admin NAME` and keeps the recovery key in its safe).
demo-keys: install compile init-db
	@password=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(12))'); \
	out=$$(printf '%s\n' "$$password" | $(BIN)/kiosk init-keys --if-missing --admin admin --password-stdin) && \
	if [ -n "$$out" ]; then echo "$$out"; echo "demo: sign in at http://127.0.0.1:8000/staff/ as admin, password $$password"; fi

# The demo office's contact details: made up, and every page that shows them says so (an admin replaces
# them at /staff/kantor, or `kiosk office-profile` without --placeholder).
demo-office: install compile init-db
	@$(BIN)/kiosk office-profile --if-empty --placeholder --address "Jl. Contoh No. 1, Kota Serang, Banten (contoh)" \
		--phone "(0254) 200000" --whatsapp "0812 0000 0000" --email "pojok-laporan@example.com" \
		--hours "Senin-Jumat 08.00-16.00 WIB" --evidence-desk "Meja piket, lantai 1 (contoh)" >/dev/null

# Another account for the demo office: 'petugas' with a random password, printed once.
demo-staff: demo-keys
	@password=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(12))'); \
	printf '%s\n' "$$password" | $(BIN)/kiosk create-staff --office $(KIOSK_OFFICE_CODE) --username petugas \
		--role petugas --password-stdin && echo "sign in at http://127.0.0.1:8000/staff/ as petugas, password $$password"

# Translations: extract the strings, merge them into each catalogue, compile the .mo files (build output).
extract: install
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		--project "Pojok Laporan" -w 100 -o translations/messages.pot .

update: extract
	$(BIN)/pybabel -q update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete -w 100
	$(BIN)/python translations/fill_english.py

compile: install
	$(BIN)/pybabel -q compile -d translations

translations: update compile

# The kiosk's voice: each step read aloud, made with espeak-ng and opusenc from the compiled strings into
# static/voice/ (build output, like the .mo files); only what is missing is made, what no string uses is removed.
voice: install compile
	$(BIN)/kiosk voice

bench: install compile
	$(BIN)/python bench/pageweight.py

# The code before issue 16's faster sync, measured beside this one (any commit: make bench-sync SYNC_BEFORE=main).
SYNC_BEFORE ?= 635cd7d
bench-sync: install compile
	rm -rf /tmp/bench-sync-before && mkdir -p /tmp/bench-sync-before
	git archive $(SYNC_BEFORE) kiosk | tar -x -C /tmp/bench-sync-before
	$(BIN)/python bench/sync.py --before /tmp/bench-sync-before
	$(BIN)/python bench/sync.py --reports 100000 --files 10000 --events 8 --repeat 1 --no-backup

bench-load: install compile
	$(BIN)/python bench/load.py

# 50 offices syncing a night into one hub at once, on SQLite and on PostgreSQL (a cluster of the bench's own).
bench-hub: install compile
	$(BIN)/python bench/hub_load.py

bench-sms: install compile
	$(BIN)/python bench/sms.py

# Offices of 1k, 100k and 1M reports (built once, kept under /tmp/pojok-growth): every staff page at each size.
bench-growth: install compile
	$(BIN)/python bench/growth.py

clean:
	rm -rf $(VENV) build *.egg-info translations/*/LC_MESSAGES/*.mo static/voice
