//! store::accounts — registration, e-mail links, status, roles, passwords
//! and second factors of member accounts.

use crate::members::{Credentials, MemberRecord, NewMember, MEMBER_COLUMNS};
use crate::{read, write, Conflict, Store, StoreError};
use chrono::{DateTime, Utc};
use kindred_domain::{AccountRole, AccountStatus, AssociationId, MemberId, Pseudonym};

/// What the staff's member directory shows: see [`Store::staff_directory`].
pub struct DirectoryFilter<'a> {
    pub association: &'a AssociationId,
    pub fragment: Option<&'a str>,
    pub role: Option<&'a str>,
    pub status: Option<&'a str>,
    pub after: Option<&'a str>,
    pub limit: i64,
}

/// A consent a member gave, e.g. to the terms in a version.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConsentRecord {
    pub kind: String,
    pub version: String,
    pub given_at: DateTime<Utc>,
}

/// The second-factor columns of an account.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TotpState {
    pub totp_secret: Option<Vec<u8>>,
    pub totp_pending: Option<Vec<u8>>,
    pub totp_last_step: Option<i64>,
}

impl Store {
    /// Creates an account, unless the address has one, and records the
    /// consent it was created with, together; tells whether it created the
    /// address's account. Where the address has one, it creates a decoy
    /// instead (`registration_decoys`, migration 0042): an account under a
    /// key of its own that can never be confirmed, so that signing in with
    /// the password given answers as for a new registration. Nearly the
    /// same statements run either way, so that the time taken does not tell
    /// whether the address was known. The pseudonym is only a wish
    /// (pending, a placeholder key of its own, no skeleton, no search
    /// terms) until [`Store::claim_pseudonym`]: registering claims nothing.
    pub async fn register_member(
        &self,
        new: &NewMember,
        language: &str,
        consent_kind: &str,
        consent_version: &str,
        decoy_check: &str,
    ) -> Result<bool, StoreError> {
        const INSERT: &str = "INSERT INTO members (id, association_id, email, email_key, pseudonym, pseudonym_key, \
             password_hash, role, status, discoverable, created_at, language, pseudonym_pending, \
             pseudonym_indexed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, TRUE, TRUE) \
             ON CONFLICT (association_id, email_key) DO NOTHING";
        let (email_key, decoy_key) = (new.email.key(), format!("decoy:{}", new.id.as_str()));
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let mut created = false;
            for (key, real) in [(email_key.as_str(), true), (decoy_key.as_str(), false)] {
                let inserted = sqlx::query(INSERT)
                    .bind(new.id.as_str())
                    .bind(new.association_id.as_str())
                    .bind(new.email.as_str())
                    .bind(key)
                    .bind(new.pseudonym.as_str())
                    .bind(pending_key(&new.id))
                    .bind(new.password_hash.as_str())
                    .bind(new.role.as_str())
                    .bind(new.status.as_str())
                    .bind(new.discoverable)
                    .bind(new.created_at)
                    .bind(language)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                    == 1;
                if inserted && real {
                    created = true;
                    break;
                }
                if inserted {
                    sqlx::query(
                        "INSERT INTO registration_decoys (association_id, member_id, email_key, password_check, \
                         created_at) VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(new.association_id.as_str())
                    .bind(new.id.as_str())
                    .bind(email_key.as_str())
                    .bind(decoy_check)
                    .bind(new.created_at)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            sqlx::query(
                "INSERT INTO consents (association_id, member_id, kind, version, given_at) \
                 SELECT $1, $2, $3, $4, $5 WHERE EXISTS \
                 (SELECT 1 FROM members WHERE association_id = $1 AND id = $2)",
            )
            .bind(new.association_id.as_str())
            .bind(new.id.as_str())
            .bind(consent_kind)
            .bind(consent_version)
            .bind(new.created_at)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(created)
        })
    }

    /// The decoy made for an address's key with a password whose keyed hash
    /// is `password_check` (see [`Store::register_member`]), the newest if
    /// several were: found by both, so that any number of decoys is found
    /// alike.
    pub async fn decoy_by_email(
        &self,
        association: &AssociationId,
        email_key: &str,
        password_check: &str,
    ) -> Result<Option<Credentials>, StoreError> {
        let row = read!(self, |pool| {
            sqlx::query_as(
                "SELECT m.id, m.password_hash, m.status, m.role, (m.totp_secret IS NOT NULL) AS has_totp, \
                 EXISTS (SELECT 1 FROM passkeys p WHERE p.association_id = m.association_id \
                 AND p.member_id = m.id) AS has_passkey FROM registration_decoys d \
                 JOIN members m ON m.association_id = d.association_id AND m.id = d.member_id \
                 WHERE d.association_id = $1 AND d.email_key = $2 AND d.password_check = $3 \
                 ORDER BY d.created_at DESC LIMIT 1",
            )
            .bind(association.as_str())
            .bind(email_key)
            .bind(password_check)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row)
    }

    /// Whether the member is a decoy (see [`Store::register_member`]).
    pub async fn is_decoy(&self, association: &AssociationId, member: &MemberId) -> Result<bool, StoreError> {
        let (found,): (bool,) = read!(self, |pool| {
            sqlx::query_as(
                "SELECT EXISTS (SELECT 1 FROM registration_decoys WHERE association_id = $1 AND member_id = $2)",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .fetch_one(pool)
            .await
        })?;
        Ok(found)
    }

    /// Claims a pending member's pseudonym (their wish, or a new one) with
    /// its search terms, unless it or a look-alike is another member's;
    /// tells whether it did. An erased member's pseudonym is held back
    /// while `reservation` (the keyed hash of its skeleton, and now) finds
    /// it in `pseudonym_reservations`. Only ever called for the registrant, once
    /// their address is confirmed: nobody else learns that it was taken.
    pub async fn claim_pseudonym(
        &self,
        association: &AssociationId,
        member: &MemberId,
        pseudonym: &Pseudonym,
        terms: &[String],
        reservation: (&str, DateTime<Utc>),
    ) -> Result<bool, StoreError> {
        let claimed = write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let key = pseudonym.key();
            let skeleton = pseudonym.skeleton_key();
            let claimed = sqlx::query(
                "UPDATE members SET pseudonym = $3, pseudonym_key = $4, pseudonym_skeleton = $5, \
                 pseudonym_pending = FALSE WHERE association_id = $1 AND id = $2 AND pseudonym_pending \
                 AND NOT EXISTS (SELECT 1 FROM members o WHERE o.association_id = $1 AND o.id <> $2 \
                 AND (o.pseudonym_key = $4 OR o.pseudonym_skeleton = $5)) \
                 AND NOT EXISTS (SELECT 1 FROM pseudonym_reservations r WHERE r.association_id = $1 \
                 AND r.skeleton_hash = $6 AND r.reserved_until > $7)",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .bind(pseudonym.as_str())
            .bind(&key)
            .bind(&skeleton)
            .bind(reservation.0)
            .bind(reservation.1)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if claimed {
                if let Some(sql) = crate::members::insert_pseudonym_terms_sql(terms.len()) {
                    let mut query = sqlx::query(&sql).bind(association.as_str()).bind(member.as_str()).bind(&key);
                    for token in terms {
                        query = query.bind(token.as_str());
                    }
                    query.execute(&mut *tx).await?;
                }
            }
            tx.commit().await?;
            Ok::<bool, StoreError>(claimed)
        });
        match claimed {
            // Claimed by another at the same moment: the unique indexes decide.
            Err(StoreError::Conflict(Conflict::Pseudonym)) => Ok(false),
            other => other,
        }
    }

    /// Replaces a pending member's wish (before their address is confirmed).
    pub async fn set_pseudonym_wish(
        &self,
        association: &AssociationId,
        member: &MemberId,
        pseudonym: &Pseudonym,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query(
                "UPDATE members SET pseudonym = $3 WHERE association_id = $1 AND id = $2 AND pseudonym_pending",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .bind(pseudonym.as_str())
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    pub async fn consents(
        &self,
        association: &AssociationId,
        member: &MemberId,
    ) -> Result<Vec<ConsentRecord>, StoreError> {
        let rows = read!(self, |pool| {
            sqlx::query_as(
                "SELECT kind, version, given_at FROM consents WHERE association_id = $1 AND member_id = $2 \
                 ORDER BY given_at, kind",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    pub async fn member(&self, association: &AssociationId, id: &str) -> Result<Option<MemberRecord>, StoreError> {
        let sql = format!("SELECT {MEMBER_COLUMNS} FROM members WHERE association_id = $1 AND id = $2");
        let row = read!(self, |pool| {
            sqlx::query_as(&sql).bind(association.as_str()).bind(id).fetch_optional(pool).await
        })?;
        Ok(row)
    }

    /// Several members at once, by id (any order; unknown ids are left out).
    pub async fn members_by_ids(
        &self,
        association: &AssociationId,
        ids: &[MemberId],
    ) -> Result<Vec<MemberRecord>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT {MEMBER_COLUMNS} FROM members WHERE association_id = $1 AND id IN ({})",
            placeholders.join(", ")
        );
        let rows = read!(self, |pool| {
            let mut query = sqlx::query_as(&sql).bind(association.as_str());
            for id in ids {
                query = query.bind(id.as_str());
            }
            query.fetch_all(pool).await
        })?;
        Ok(rows)
    }

    pub async fn member_by_email(
        &self,
        association: &AssociationId,
        email_key: &str,
    ) -> Result<Option<MemberRecord>, StoreError> {
        let sql = format!("SELECT {MEMBER_COLUMNS} FROM members WHERE association_id = $1 AND email_key = $2");
        let row = read!(self, |pool| {
            sqlx::query_as(&sql).bind(association.as_str()).bind(email_key).fetch_optional(pool).await
        })?;
        Ok(row)
    }

    /// Members with a staff role or a badge, by pseudonym.
    pub async fn staff_members(&self, association: &AssociationId) -> Result<Vec<MemberRecord>, StoreError> {
        let sql = format!(
            "SELECT {MEMBER_COLUMNS} FROM members WHERE association_id = $1 AND role <> 'member' \
             ORDER BY pseudonym_key, id"
        );
        let rows = read!(self, |pool| sqlx::query_as(&sql).bind(association.as_str()).fetch_all(pool).await)?;
        Ok(rows)
    }

    /// The staff's member directory: members whose lowercase pseudonym
    /// contains `fragment` (already lowercase; `None`: all), with the role
    /// and status given (`None`: any), in pseudonym order after the
    /// pseudonym key `after`, at most `limit`.
    pub async fn staff_directory(&self, filter: &DirectoryFilter<'_>) -> Result<Vec<MemberRecord>, StoreError> {
        let mut binds: Vec<String> = vec![filter.association.as_str().to_owned()];
        let mut sql = format!("SELECT {MEMBER_COLUMNS} FROM members WHERE association_id = $1");
        if let Some(fragment) = filter.fragment {
            // LIKE's own characters in the fragment match themselves.
            let escaped = fragment.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            binds.push(format!("%{escaped}%"));
            sql.push_str(&format!(" AND pseudonym_key LIKE ${} ESCAPE '\\'", binds.len()));
        }
        if let Some(role) = filter.role {
            binds.push(role.to_owned());
            sql.push_str(&format!(" AND role = ${}", binds.len()));
        }
        if let Some(status) = filter.status {
            binds.push(status.to_owned());
            sql.push_str(&format!(" AND status = ${}", binds.len()));
        }
        if let Some(after) = filter.after {
            binds.push(after.to_owned());
            sql.push_str(&format!(" AND pseudonym_key > ${}", binds.len()));
        }
        sql.push_str(&format!(" ORDER BY pseudonym_key LIMIT {}", filter.limit.max(1)));
        let rows = read!(self, |pool| {
            let mut query = sqlx::query_as(&sql);
            for value in &binds {
                query = query.bind(value.as_str());
            }
            query.fetch_all(pool).await
        })?;
        Ok(rows)
    }

    pub async fn insert_email_token(
        &self,
        association: &AssociationId,
        member: &MemberId,
        token_hash: &str,
        purpose: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query(
                "INSERT INTO email_tokens (token_hash, association_id, member_id, purpose, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(token_hash)
            .bind(association.as_str())
            .bind(member.as_str())
            .bind(purpose)
            .bind(now)
            .bind(expires_at)
            .execute(pool)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// Uses a mailed link once: the member it was for, if it is unused,
    /// unexpired and of this purpose. Atomic, so two clicks cannot both win.
    pub async fn use_email_token(
        &self,
        association: &AssociationId,
        token_hash: &str,
        purpose: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<MemberId>, StoreError> {
        let row: Option<(String,)> = write!(self, |pool| {
            sqlx::query_as(
                "UPDATE email_tokens SET used_at = $4 WHERE association_id = $1 AND token_hash = $2 AND purpose = $3 \
                 AND used_at IS NULL AND expires_at > $4 RETURNING member_id",
            )
            .bind(association.as_str())
            .bind(token_hash)
            .bind(purpose)
            .bind(now)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row.map(|(id,)| MemberId::from_trusted(id)))
    }

    /// Ends a member's other unused links of a purpose (a new one was sent, or one was used).
    pub async fn expire_email_tokens(
        &self,
        association: &AssociationId,
        member: &MemberId,
        purpose: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query(
                "UPDATE email_tokens SET used_at = $4 WHERE association_id = $1 AND member_id = $2 AND purpose = $3 \
                 AND used_at IS NULL",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .bind(purpose)
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// The address is confirmed: `email_unconfirmed` becomes `unverified`.
    pub async fn confirm_email(
        &self,
        association: &AssociationId,
        member: &MemberId,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query(
                "UPDATE members SET email_confirmed_at = $3, status = CASE WHEN status = 'email_unconfirmed' \
                 THEN 'unverified' ELSE status END WHERE association_id = $1 AND id = $2",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// Changes the status from `from` to `to`; false if the member was not in `from`.
    pub async fn change_status(
        &self,
        association: &AssociationId,
        member: &MemberId,
        from: AccountStatus,
        to: AccountStatus,
    ) -> Result<bool, StoreError> {
        let affected = write!(self, |pool| {
            let mut tx = pool.begin().await?;
            let affected =
                sqlx::query("UPDATE members SET status = $4 WHERE association_id = $1 AND id = $2 AND status = $3")
                    .bind(association.as_str())
                    .bind(member.as_str())
                    .bind(from.as_str())
                    .bind(to.as_str())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            if to == AccountStatus::Active {
                sqlx::query("DELETE FROM verification_requests WHERE association_id = $1 AND member_id = $2")
                    .bind(association.as_str())
                    .bind(member.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            affected
        });
        Ok(affected > 0)
    }

    /// Sets a member's role; false if there is no such member, or if the
    /// member is the last active admin and `role` is not admin. Clears the
    /// inactivity warning: staff are not warned, so one who becomes a
    /// member again is warned afresh before retention erases them.
    pub async fn set_role(
        &self,
        association: &AssociationId,
        member: &MemberId,
        role: AccountRole,
        badge: Option<&str>,
    ) -> Result<bool, StoreError> {
        let affected = write!(self, |pool| {
            let mut tx = pool.begin().await?;
            // Role changes of one association wait for each other (a row
            // lock on PostgreSQL; SQLite writes one at a time anyway), so two
            // admins demoting each other cannot both pass the check below.
            sqlx::query("UPDATE associations SET slug = slug WHERE id = $1")
                .bind(association.as_str())
                .execute(&mut *tx)
                .await?;
            // An admin keeps the role when no other active admin would remain.
            let affected = sqlx::query(
                "UPDATE members SET role = $3, badge = $4, inactivity_warned_at = NULL \
                 WHERE association_id = $1 AND id = $2 \
                 AND ($3 = 'admin' OR role <> 'admin' OR EXISTS (SELECT 1 FROM members other \
                 WHERE other.association_id = $1 AND other.id <> $2 AND other.role = 'admin' \
                 AND other.status = $5))",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .bind(role.as_str())
            .bind(badge)
            .bind(AccountStatus::Active.as_str())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            tx.commit().await?;
            affected
        });
        Ok(affected > 0)
    }

    /// Active admins of the association other than `except`.
    pub async fn other_active_admins(&self, association: &AssociationId, except: &MemberId) -> Result<i64, StoreError> {
        let (count,): (i64,) = read!(self, |pool| {
            sqlx::query_as(
                "SELECT COUNT(*) FROM members WHERE association_id = $1 AND id <> $2 AND role = 'admin' \
                 AND status = $3",
            )
            .bind(association.as_str())
            .bind(except.as_str())
            .bind(AccountStatus::Active.as_str())
            .fetch_one(pool)
            .await
        })?;
        Ok(count)
    }

    pub async fn password_hash(
        &self,
        association: &AssociationId,
        member: &MemberId,
    ) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = read!(self, |pool| {
            sqlx::query_as("SELECT password_hash FROM members WHERE association_id = $1 AND id = $2")
                .bind(association.as_str())
                .bind(member.as_str())
                .fetch_optional(pool)
                .await
        })?;
        Ok(row.map(|(h,)| h))
    }

    /// Sets a member's password; for a decoy (see [`Store::register_member`])
    /// its keyed hash too, in the same transaction, so that sign-in finds it
    /// by the new password as it finds any account by its new one.
    pub async fn set_password_hash(
        &self,
        association: &AssociationId,
        member: &MemberId,
        hash: &str,
        decoy_check: &str,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE members SET password_hash = $3 WHERE association_id = $1 AND id = $2")
                .bind(association.as_str())
                .bind(member.as_str())
                .bind(hash)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE registration_decoys SET password_check = $3 WHERE association_id = $1 AND member_id = $2",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .bind(decoy_check)
            .execute(&mut *tx)
            .await?;
            tx.commit().await
        })?;
        Ok(())
    }

    pub async fn totp_state(&self, association: &AssociationId, member: &MemberId) -> Result<TotpState, StoreError> {
        let row = read!(self, |pool| {
            sqlx::query_as(
                "SELECT totp_secret, totp_pending, totp_last_step FROM members WHERE association_id = $1 AND id = $2",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .fetch_optional(pool)
            .await
        })?;
        Ok(row.unwrap_or(TotpState { totp_secret: None, totp_pending: None, totp_last_step: None }))
    }

    pub async fn set_totp_pending(
        &self,
        association: &AssociationId,
        member: &MemberId,
        sealed: Option<&[u8]>,
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            sqlx::query("UPDATE members SET totp_pending = $3 WHERE association_id = $1 AND id = $2")
                .bind(association.as_str())
                .bind(member.as_str())
                .bind(sealed)
                .execute(pool)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    /// Makes the pending secret the active one, with fresh recovery codes.
    pub async fn activate_totp(
        &self,
        association: &AssociationId,
        member: &MemberId,
        sealed: &[u8],
        step: i64,
        recovery_hashes: &[String],
    ) -> Result<(), StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "UPDATE members SET totp_secret = $3, totp_pending = NULL, totp_last_step = $4 \
                 WHERE association_id = $1 AND id = $2",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .bind(sealed)
            .bind(step)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM recovery_codes WHERE association_id = $1 AND member_id = $2")
                .bind(association.as_str())
                .bind(member.as_str())
                .execute(&mut *tx)
                .await?;
            for hash in recovery_hashes {
                sqlx::query("INSERT INTO recovery_codes (association_id, member_id, code_hash) VALUES ($1, $2, $3)")
                    .bind(association.as_str())
                    .bind(member.as_str())
                    .bind(hash)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Removes the authenticator app, and the recovery codes unless a
    /// passkey remains (they stand in for it too).
    pub async fn remove_totp(&self, association: &AssociationId, member: &MemberId) -> Result<(), StoreError> {
        write!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "UPDATE members SET totp_secret = NULL, totp_pending = NULL, totp_last_step = NULL \
                 WHERE association_id = $1 AND id = $2",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "DELETE FROM recovery_codes WHERE association_id = $1 AND member_id = $2 \
                 AND NOT EXISTS (SELECT 1 FROM passkeys p WHERE p.association_id = $1 AND p.member_id = $2)",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Records that a TOTP time step was used; false if it (or a later
    /// one) already was, so that a code cannot be replayed.
    pub async fn use_totp_step(
        &self,
        association: &AssociationId,
        member: &MemberId,
        step: i64,
    ) -> Result<bool, StoreError> {
        let affected = write!(self, |pool| {
            sqlx::query(
                "UPDATE members SET totp_last_step = $3 WHERE association_id = $1 AND id = $2 \
                 AND (totp_last_step IS NULL OR totp_last_step < $3)",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .bind(step)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(affected > 0)
    }

    /// Uses a recovery code once; false if unknown or used.
    pub async fn use_recovery_code(
        &self,
        association: &AssociationId,
        member: &MemberId,
        code_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let affected = write!(self, |pool| {
            sqlx::query(
                "UPDATE recovery_codes SET used_at = $4 WHERE association_id = $1 AND member_id = $2 \
                 AND code_hash = $3 AND used_at IS NULL",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .bind(code_hash)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(affected > 0)
    }

    pub async fn unused_recovery_codes(
        &self,
        association: &AssociationId,
        member: &MemberId,
    ) -> Result<i64, StoreError> {
        let (count,): (i64,) = read!(self, |pool| {
            sqlx::query_as(
                "SELECT COUNT(*) FROM recovery_codes WHERE association_id = $1 AND member_id = $2 AND used_at IS NULL",
            )
            .bind(association.as_str())
            .bind(member.as_str())
            .fetch_one(pool)
            .await
        })?;
        Ok(count)
    }
}

/// The `pseudonym_key` of a pending member: unique, and never a real
/// pseudonym's key (a pseudonym starts with a letter or digit).
fn pending_key(member: &MemberId) -> String {
    format!("~{member}")
}
