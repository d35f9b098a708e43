use std::process::ExitCode;

fn main() -> ExitCode {
    large_blocks_back_to_the_kernel();
    kindred::main()
}

/// glibc serves a block of 128 KiB or more from its own mapping and gives
/// it back on free — until the first such free, after which it raises that
/// threshold to the freed size and keeps later ones in its arenas. A
/// password hash's 19 MiB of working memory then stayed resident after
/// every burst of sign-ins (README › Performance, "Topic pages"). A fixed
/// threshold keeps the first behaviour.
fn large_blocks_back_to_the_kernel() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a parameter of the allocator; it is called
    // before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}
