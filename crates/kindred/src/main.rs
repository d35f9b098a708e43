use std::process::ExitCode;

fn main() -> ExitCode {
    kindred::memory::large_blocks_back_to_the_kernel();
    kindred::main()
}
