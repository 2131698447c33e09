"""Telling the reporter of every change: who asked to be told and how (a subscription, its address
sealed under the machine's sender key), the outbox that each status change fills in its own transaction,
and the sender (`kiosk notify`, run periodically by `kiosk serve` and by `kiosk nightly`) that delivers
with retries. A message says which office, the status in plain words, the date by which the reporter must
act, and the status page's link: never a name, a NIK, a phone, the reported party, the description or a
note. Channels plug in by name (kiosk.notify.channels): email now, SMS later."""
