//! One entry point, two programs: compiled to wasm32 it renders the web app; natively it is the
//! `eda-lab` command line.

#[cfg(target_arch = "wasm32")]
fn main() {
    eda_lab::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(eda_lab::cli::main());
}
