//! Running the `eda-lab` binary as a user does, for the command-line tests.

use std::process::Command;

/// Runs `eda-lab ARGS`: the exit code, standard output and standard error.
pub fn eda_lab(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_eda-lab")).args(args).output().expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
