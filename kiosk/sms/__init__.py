"""Reports, status and notices by SMS through the office's own GSM modem. Debian's gammu-smsd drives the
modem and talks to us through its files backend: each message it receives is a file in KIOSK_SMSD_INBOX,
and each file we write into KIOSK_SMSD_OUTBOX it sends (`gammu.py` knows both naming schemes). `inbox.py`
reads what arrived (`kiosk sms`, and every few seconds inside `kiosk serve`), `words.py` knows what a
citizen may send and what we answer (one SMS each), `tips.py` makes a tip of a LAPOR message, `notice.py`
is the notices' SMS channel, and `pages.py` the staff's SMS inbox and the reply box of a report."""
