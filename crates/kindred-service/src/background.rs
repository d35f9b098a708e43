//! service::background — work that must not run on the request path
//! because how long it takes tells a secret: whether an address has an
//! account. Password-reset requests and registrations answer first and
//! then, here, look the address up, write the mailed link and hand the
//! mail on (`ARCHITECTURE.md`, "Admission never tells who is a member").
//! A failure is logged without addresses; the caller has had its answer.

use crate::Kindred;
use std::future::Future;

impl Kindred {
    /// Runs `work` on its own task; `what` names it in the log.
    pub(crate) fn in_background<E, F>(&self, what: &'static str, work: F)
    where
        E: std::fmt::Display + Send + 'static,
        F: Future<Output = Result<(), E>> + Send + 'static,
    {
        tokio::spawn(async move {
            if let Err(error) = work.await {
                tracing::error!(%error, work = what, "background work failed");
            }
        });
    }
}
