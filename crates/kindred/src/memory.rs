//! How the process uses glibc's allocator: the two settings that keep a
//! long-running server's resident memory near what it really holds.
//!
//! Both are measured in README › Performance ("Topic pages"). Elsewhere
//! than on Linux with glibc they do nothing.

use std::time::Duration;

/// How often freed memory is given back to the kernel.
const TRIM_EVERY: Duration = Duration::from_secs(10);

/// glibc serves a block of 128 KiB or more from its own mapping and gives
/// it back on free — until the first such free, after which it raises that
/// threshold to the freed size and keeps later ones in its arenas. A
/// password hash's 19 MiB of working memory then stayed resident after
/// every burst of sign-ins. A fixed threshold keeps the first behaviour.
/// Called first in `main`, before any other thread exists.
pub fn large_blocks_back_to_the_kernel() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a parameter of the allocator; it is called
    // before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

/// Gives the free pages inside glibc's arenas back to the kernel every
/// [`TRIM_EVERY`], for as long as the server runs.
///
/// Every thread allocates from an arena of its own (up to eight per
/// core), and glibc returns an arena's memory only from its top: what is
/// freed in the middle stays resident. SQLite's page caches are the
/// churn — each connection's cache (on a thread of its own) is dropped
/// whenever another connection has written and then read in again — so
/// under the pages benchmark's load the server sat at 110–130 MB with
/// 45–55 MB in use; one `malloc_trim` took it from 128 to 84 MB. A trim
/// walks the arenas' free chunks and costs a few milliseconds on a
/// thread of the blocking pool, not on a request's.
pub fn spawn_trimmer() -> tokio::task::JoinHandle<()> {
    tokio::spawn(async {
        let mut every = tokio::time::interval(TRIM_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            if tokio::task::spawn_blocking(give_back_free_pages).await.is_err() {
                return;
            }
        }
    })
}

fn give_back_free_pages() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim has no preconditions; it takes each arena's lock
    // while it walks that arena, like any malloc or free.
    unsafe {
        libc::malloc_trim(0);
    }
}
