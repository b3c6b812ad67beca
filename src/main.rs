use std::process::ExitCode;

fn main() -> ExitCode {
    peygir::cli::main()
}
