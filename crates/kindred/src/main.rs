use std::process::ExitCode;

fn main() -> ExitCode {
    kindred::main()
}
