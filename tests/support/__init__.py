"""What the tests share, one module a subject: the citizen's flow (`citizen`), the staff workspace
(`staff`), the migrated template database (`database`), parsed pages (`html`), real `kiosk`
processes (`servers`), Chromium (`browser`, `walk`), hostile input (`hostile`), evidence files
(`files`), and the scripts the replication tests run as processes (`sync_office`, `hub_dies`)."""
