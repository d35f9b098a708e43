//! service::administration — an association's admins (and its operator on
//! the command line) change its settings. The settings come in the shape of
//! the configuration file and go through the file's parser
//! (`association_config::from_json` → `build`), so the pages, the API and
//! `kindred association update` accept and refuse exactly what the file
//! does, with the same messages; the checks that need the database (host
//! names, the admission queue) are made here, once for all of them.

use crate::association_config::{self, ConfigError, Logo};
use crate::{Association, Kindred};
use kindred_domain::disclosure::implied_field;
use kindred_domain::id::random_token;
use kindred_domain::settings::{AssociationSettings, ProfileField};
use kindred_domain::{MemberId, Visibility};
use kindred_store::{Conflict, NewAuditEntry, SettingsUpdate, StoreError};
use std::collections::BTreeSet;

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// A setting is wrong: its path and the problem, as for the file.
    #[error(transparent)]
    Invalid(#[from] ConfigError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a settings change did.
#[derive(Debug, Clone)]
pub struct SettingsChange {
    /// The association with its new settings.
    pub association: Association,
    /// The paths of the settings that changed (`branding.primary_color`,
    /// `profile_fields[1].min_level`), in order; empty when nothing did.
    pub changed: Vec<String>,
}

impl Kindred {
    /// The settings in the shape of the configuration file, every default
    /// filled in.
    pub fn settings_json(&self, association: &Association) -> serde_json::Value {
        association_config::to_json(&association.settings)
    }

    /// Replaces the association's settings with `json` (the file's shape),
    /// all or nothing. `actor` is the admin who asks; `None` is the
    /// deployment's operator (`kindred association update`).
    pub async fn update_settings_json(
        &self,
        association: &Association,
        actor: Option<&MemberId>,
        json: serde_json::Value,
    ) -> Result<SettingsChange, SettingsError> {
        let settings = association_config::from_json(json)?;
        self.update_settings(association, actor, settings, None).await
    }

    /// Replaces the association's settings with checked ones, all or
    /// nothing: the new settings, host names, the values and search terms
    /// of removed fields erased, search terms capped to raised minimum
    /// levels and the audit entry in one transaction. A `logo` (from a
    /// configuration file) replaces the logo; `None` keeps it.
    pub async fn update_settings(
        &self,
        association: &Association,
        actor: Option<&MemberId>,
        settings: AssociationSettings,
        logo: Option<Logo>,
    ) -> Result<SettingsChange, SettingsError> {
        self.check_with_database(association, &settings).await?;
        let changed =
            changed_paths(&association_config::to_json(&association.settings), &association_config::to_json(&settings));
        let term_caps = term_caps(&association.settings.profile_fields, &settings.profile_fields);
        let erased = erased_fields(&association.settings.profile_fields, &settings.profile_fields);
        let mut changed = changed;
        // Paths by position say only that the list changed; which fields
        // lost every member's values must be readable in the audit log. A
        // code is the association's own setting, never a member's value.
        changed.extend(erased.iter().map(|code| format!("profile_fields.{code} erased")));
        if logo.is_some() {
            changed.push(String::from("branding.logo"));
        }
        let detail = if changed.is_empty() { String::from("unchanged") } else { changed.join(", ") };
        let has_logo = association.has_logo || logo.is_some();
        let logo = logo.map(|l| (l.bytes, l.media_type.to_owned()));
        let id = random_token();
        let stored = association_config::to_stored(&settings);
        let update = SettingsUpdate {
            association_id: &association.id,
            settings: &stored,
            hosts: &settings.hosts,
            term_caps: &term_caps,
            erased_fields: &erased,
            erase_photos: erased.iter().any(|code| code == "photo"),
            logo: logo.as_ref().map(|(bytes, kind)| (bytes.as_slice(), kind.as_str())),
            audit: NewAuditEntry {
                id: &id[..26],
                association_id: &association.id,
                at: self.clock.now(),
                actor_id: actor.map(MemberId::as_str),
                action: "settings.updated",
                target_id: None,
                detail: Some(&detail),
            },
        };
        self.store.update_association_settings(&update).await.map_err(|e| match e {
            // Taken between the check and the write.
            StoreError::Conflict(Conflict::Host) => SettingsError::Invalid(ConfigError {
                setting: "hosts".into(),
                problem: "a host name is already used by another association".into(),
            }),
            other => SettingsError::Store(other),
        })?;
        let association = Association { settings, has_logo, ..association.clone() };
        Ok(SettingsChange { association, changed })
    }

    /// The checks a file alone cannot make: host names of other
    /// associations, and members waiting for an admission procedure.
    async fn check_with_database(
        &self,
        association: &Association,
        settings: &AssociationSettings,
    ) -> Result<(), SettingsError> {
        for (i, host) in settings.hosts.iter().enumerate() {
            if let Some(owner) = self.store.host_owner(host).await? {
                if owner != association.id.as_str() {
                    return Err(ConfigError {
                        setting: format!("hosts[{i}]"),
                        problem: format!("{host} is already used by another association"),
                    }
                    .into());
                }
            }
        }
        if settings.admission.procedures.is_empty() {
            let waiting = self.store.pending_verifications(&association.id).await?.len();
            if waiting > 0 {
                return Err(ConfigError {
                    setting: "admission.procedures".into(),
                    problem: format!(
                        "cannot close every admission procedure while {waiting} member(s) wait for verification"
                    ),
                }
                .into());
            }
        }
        Ok(())
    }
}

/// The visibility below which a field's search terms may not be: its
/// minimum, and that of every field it gives away (`IMPLIES`).
fn terms_floor(fields: &[ProfileField], field: &ProfileField) -> Visibility {
    let mut floor = field.min_visibility;
    let mut code = field.code.as_str();
    for _ in 0..kindred_domain::disclosure::IMPLIES.len() {
        let Some(implied) = implied_field(code).and_then(|c| fields.iter().find(|f| f.code.as_str() == c)) else {
            break;
        };
        floor = floor.max(implied.min_visibility);
        code = implied.code.as_str();
    }
    floor
}

/// Fields whose search terms must be raised: the floor rose, or the field
/// is new (terms of a field the association once had may still exist).
/// A lowered minimum caps nothing and opens nothing: the terms keep the
/// visibility they had, never more open than the member's own choice.
fn term_caps(old: &[ProfileField], new: &[ProfileField]) -> Vec<(String, i32)> {
    new.iter()
        .filter_map(|field| {
            let floor = terms_floor(new, field);
            let before = old.iter().find(|f| f.code == field.code).map(|f| terms_floor(old, f));
            let raised = before.is_none_or(|before| floor > before);
            (raised && floor > Visibility::Level(kindred_domain::Level::Community))
                .then(|| (field.code.to_string(), floor.rank()))
        })
        .collect()
}

/// Fields whose stored values must go, with their search terms: those
/// removed, and those whose kind (or health) changed, since a value is
/// read by the field's kind and opened by whether it is sealed. Their
/// values would otherwise stay findable by search, out of the member's
/// reach (`/me` and the profile API know only current fields), and come
/// back if the field were added again; a field added again starts empty.
fn erased_fields(old: &[ProfileField], new: &[ProfileField]) -> Vec<String> {
    old.iter()
        .filter(|field| !new.iter().any(|f| f.code == field.code && f.kind == field.kind && f.health == field.health))
        .map(|field| field.code.to_string())
        .collect()
}

/// The setting paths that differ between two JSON documents of the file's
/// shape: tables by key, lists by position (a list that grew or shrank
/// names the list). Only paths, never values: a change in the audit log
/// tells what was touched, not what it says.
pub fn changed_paths(old: &serde_json::Value, new: &serde_json::Value) -> Vec<String> {
    let mut paths = Vec::new();
    diff(old, new, "", &mut paths);
    paths
}

fn diff(old: &serde_json::Value, new: &serde_json::Value, at: &str, paths: &mut Vec<String>) {
    use serde_json::Value;
    if old == new {
        return;
    }
    match (old, new) {
        (Value::Object(a), Value::Object(b)) if !is_text(old) || !is_text(new) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                let path = if at.is_empty() { key.clone() } else { format!("{at}.{key}") };
                diff(a.get(key).unwrap_or(&Value::Null), b.get(key).unwrap_or(&Value::Null), &path, paths);
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                diff(x, y, &format!("{at}[{i}]"), paths);
            }
        }
        _ => paths.push(if at.is_empty() { String::from("settings") } else { at.to_owned() }),
    }
}

/// A localised text (a table of language codes) counts as one setting.
fn is_text(value: &serde_json::Value) -> bool {
    value
        .as_object()
        .is_some_and(|o| !o.is_empty() && o.keys().all(|k| k.len() == 2) && o.values().all(|v| v.is_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn changes_are_named_by_path() {
        let old = json!({"name": {"en": "A", "de": "A"}, "branding": {"primary_color": "#000000"}, "hosts": ["a"], "levels": [{"level": 1}]});
        let new = json!({"name": {"en": "B", "de": "A"}, "branding": {"primary_color": "#111111"}, "hosts": ["a", "b"], "levels": [{"level": 2}]});
        assert_eq!(changed_paths(&old, &new), ["branding.primary_color", "hosts", "levels[0].level", "name"]);
        assert!(changed_paths(&old, &old).is_empty());
    }

    fn field(code: &str, kind: kindred_domain::settings::FieldKind) -> ProfileField {
        ProfileField {
            code: kindred_domain::settings::Code::parse(code).unwrap_or_else(|e| panic!("{code}: {e}")),
            name: kindred_domain::settings::LocalizedText::uniform(code),
            kind,
            health: false,
            default_visibility: Visibility::Private,
            min_visibility: Visibility::Level(kindred_domain::Level::Community),
        }
    }

    #[test]
    fn removed_fields_and_fields_of_another_kind_are_erased() {
        use kindred_domain::settings::FieldKind::{LongText, Text, Year};
        let old = [field("hobby", Text), field("city", Text), field("shoe_size", Text), field("motto", Text)];
        // Reordered, one renamed in its place, one of another kind, one gone.
        let new = [field("motto", Text), field("city", Text), field("shoe_size", Year), field("pastime", LongText)];
        assert_eq!(erased_fields(&old, &new), ["hobby", "shoe_size"]);
        assert!(erased_fields(&old, &old).is_empty(), "an unchanged list erases nothing");
        assert!(erased_fields(&[], &new).is_empty(), "a new field erases nothing");
    }
}
