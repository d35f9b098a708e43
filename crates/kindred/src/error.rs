use kindred_service::accounts::AddUserError;
use kindred_service::association_config::ConfigError;
use kindred_service::associations::{CreateAssociationError, LoadError};
use kindred_store::StoreError;
use std::path::PathBuf;

/// Why a command failed, with enough context for one readable line.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("configuration error: {0}")]
    Config(#[from] ConfigError),
    #[error("data directory {path}: {reason}")]
    DataDir { path: PathBuf, reason: String },
    #[error("{0}")]
    Database(#[from] StoreError),
    #[error("cannot listen on {addr}: {reason}")]
    Listen { addr: String, reason: String },
    #[error("cannot create the association: {0}")]
    CreateAssociation(#[from] CreateAssociationError),
    #[error("cannot update the association: {0}")]
    UpdateSettings(#[from] kindred_service::administration::SettingsError),
    #[error("cannot add the user: {0}")]
    AddUser(#[from] AddUserError),
    #[error("{0}")]
    Load(#[from] LoadError),
    #[error("there is no association with the slug {0}")]
    UnknownAssociation(String),
    #[error("{0}")]
    Input(String),
    #[error("association transfer: {0}")]
    Transfer(#[from] kindred_service::transfer::TransferError),
    #[error("encryption keys: {0}")]
    Keys(String),
    #[error("mail: {0}")]
    Mail(String),
    #[error("server error: {0}")]
    Serve(String),
    #[error("{0}")]
    Operation(#[from] crate::operations::OperationError),
}
