"""The tests of Pojok Laporan: a package, so that test modules import their helpers from
`tests.support` by name (no `from conftest import`), and the scripts the replication tests start
(`python -m tests.support.sync_office`) import them the same way."""
