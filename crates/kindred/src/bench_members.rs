//! Members for the load tools (`examples/live_bench.rs`,
//! `examples/call_bench.rs`): written straight into the store with one
//! password hash for all and a bearer session each — signing in thousands
//! of members would be an hour of Argon2 on two cores.

use kindred_domain::{AccountRole, AccountStatus, EmailAddress, MemberId, Password, Pseudonym};
use kindred_service::{Association, Kindred};
use kindred_store::{NewMember, NewSession, StoreError};

/// `count` active members named `{prefix} {n}` with a session each:
/// `(member id, bearer token)`.
pub async fn members_with_sessions(
    kindred: &Kindred,
    association: &Association,
    prefix: &str,
    count: usize,
) -> Result<Vec<(MemberId, String)>, String> {
    let failed = |what: &str, e: &dyn std::fmt::Display| format!("{what}: {e}");
    let password = Password::parse("bench password of the load tools 2026").map_err(|e| failed("password", &e))?;
    let hash = kindred.passwords.hash(&password).await.map_err(|e| failed("hash", &e))?;
    let now = kindred.clock.now();
    let mut ids = Vec::with_capacity(count);
    let mut batch = Vec::new();
    let domain = prefix.to_ascii_lowercase().replace(' ', "-");
    for n in 0..count {
        let id = MemberId::random();
        let pseudonym = Pseudonym::parse(&format!("{prefix} {n}")).map_err(|e| failed("pseudonym", &e))?;
        batch.push(NewMember {
            id: id.clone(),
            association_id: association.id.clone(),
            email: EmailAddress::parse(&format!("m{n}@{domain}.kindred.invalid")).map_err(|e| failed("email", &e))?,
            pseudonym_terms: kindred.pseudonym_terms(&association.id, &pseudonym).map_err(|e| failed("terms", &e))?,
            pseudonym,
            password_hash: hash.clone(),
            role: AccountRole::Member,
            status: AccountStatus::Active,
            discoverable: false,
            created_at: now,
        });
        ids.push(id);
        if batch.len() == 500 || n + 1 == count {
            kindred.store.insert_members_fresh(&batch).await.map_err(|e: StoreError| failed("members", &e))?;
            batch.clear();
        }
    }
    let mut members = Vec::with_capacity(count);
    for id in ids {
        let token = kindred_domain::id::random_token();
        let session_id = kindred_domain::id::random_token();
        kindred
            .store
            .insert_session(&NewSession {
                id: session_id.get(..26).unwrap_or(&session_id),
                token_hash: &Kindred::live_session_hash(&token),
                association_id: &association.id,
                member_id: &id,
                kind: "api",
                second_factor_pending: false,
                client: "load tool",
                now,
                idle_expires_at: now + chrono::Duration::days(1),
                expires_at: now + chrono::Duration::days(1),
            })
            .await
            .map_err(|e| failed("session", &e))?;
        members.push((id, token));
    }
    Ok(members)
}
