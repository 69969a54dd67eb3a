//! A placeholder so that `cargo fetch` reads this manifest (scripts/setup.sh): tests/export.rs
//! copies the manifest and lock file to target/tmp/export-check/ and writes the real lib.rs there.
