//! service::associations — creating and finding tenants.

use crate::association_config::{self, ConfigError, Logo};
use crate::Kindred;
use chrono::{DateTime, Utc};
use kindred_domain::settings::AssociationSettings;
use kindred_domain::slug::SlugError;
use kindred_domain::{AssociationId, HostName, Slug};
use kindred_store::{AssociationRecord, Conflict, NewAssociation, StoreError};

/// An association as the rest of the code sees it.
#[derive(Debug, Clone)]
pub struct Association {
    pub id: AssociationId,
    pub slug: Slug,
    pub settings: AssociationSettings,
    pub has_logo: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateAssociationError {
    #[error("slug {0}")]
    Slug(#[from] SlugError),
    #[error("configuration: {0}")]
    Config(#[from] ConfigError),
    #[error("an association with the slug {0} already exists")]
    SlugTaken(String),
    #[error("one of the host names is already mapped to another association")]
    HostTaken,
    #[error(transparent)]
    Store(StoreError),
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the stored settings of association {slug} are damaged: {error}")]
    Damaged { slug: String, error: ConfigError },
}

fn from_record(record: AssociationRecord) -> Result<Association, LoadError> {
    let damaged = |error: ConfigError| LoadError::Damaged { slug: record.slug.clone(), error };
    let settings = association_config::from_stored(&record.settings).map_err(damaged)?;
    let slug = Slug::parse(&record.slug).map_err(|e| LoadError::Damaged {
        slug: record.slug.clone(),
        error: ConfigError { setting: "slug".into(), problem: e.to_string() },
    })?;
    Ok(Association {
        id: AssociationId::from_trusted(record.id),
        slug,
        settings,
        has_logo: record.has_logo,
        created_at: record.created_at,
    })
}

impl Kindred {
    /// Creates an association, all or nothing.
    pub async fn create_association(
        &self,
        slug: &str,
        settings: AssociationSettings,
        logo: Option<Logo>,
    ) -> Result<Association, CreateAssociationError> {
        let slug = Slug::parse(slug)?;
        let id = AssociationId::random();
        let new = NewAssociation {
            id: id.clone(),
            slug: slug.clone(),
            settings: association_config::to_stored(&settings),
            logo: logo.map(|l| (l.bytes, l.media_type.to_owned())),
            hosts: settings.hosts.clone(),
            created_at: self.clock.now(),
        };
        self.store.insert_association(&new).await.map_err(|e| match e {
            StoreError::Conflict(Conflict::Slug) => CreateAssociationError::SlugTaken(slug.to_string()),
            StoreError::Conflict(Conflict::Host) => CreateAssociationError::HostTaken,
            other => CreateAssociationError::Store(other),
        })?;
        Ok(Association { id, slug, has_logo: new.logo.is_some(), settings, created_at: new.created_at })
    }

    pub async fn association(&self, slug: &str) -> Result<Option<Association>, LoadError> {
        if Slug::parse(slug).is_err() {
            return Ok(None);
        }
        self.store.association_by_slug(slug).await?.map(from_record).transpose()
    }

    /// The slug of the association served at the root of `host`, if any.
    pub async fn slug_for_host(&self, host: &HostName) -> Result<Option<String>, StoreError> {
        self.store.slug_for_host(host).await
    }

    pub async fn associations(&self) -> Result<Vec<Association>, LoadError> {
        self.store.list_associations().await?.into_iter().map(from_record).collect()
    }
}
