use crate::render::Templates;
use kindred_service::{Association, Kindred};
use metrics_exporter_prometheus::PrometheusHandle;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// Limits on what one request may take.
#[derive(Clone, Debug)]
pub struct Limits {
    pub body_bytes: usize,
    pub request_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self { body_bytes: 1024 * 1024, request_timeout: Duration::from_secs(30) }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub kindred: Kindred,
    pub limits: Limits,
    pub(crate) templates: Arc<Templates>,
    pub(crate) metrics: Option<PrometheusHandle>,
    pub(crate) associations: Arc<AssociationCache>,
    /// Reverse proxies whose `X-Forwarded-For` names the real client.
    pub(crate) trusted_proxies: Arc<Vec<std::net::IpAddr>>,
}

impl AppState {
    pub fn new(kindred: Kindred, limits: Limits, metrics: Option<PrometheusHandle>) -> Result<Self, String> {
        Ok(Self {
            kindred,
            limits,
            templates: Arc::new(Templates::load()?),
            metrics,
            associations: Arc::new(AssociationCache::default()),
            trusted_proxies: Arc::new(Vec::new()),
        })
    }

    /// Believe `X-Forwarded-For` from these addresses (the deployment's
    /// reverse proxies), so that throttling sees the real clients.
    pub fn with_trusted_proxies(mut self, proxies: Vec<std::net::IpAddr>) -> Self {
        self.trusted_proxies = Arc::new(proxies);
        self
    }
}

/// Association settings change rarely and are read on every request; they
/// are kept for a few seconds. Several nodes share nothing here: a change
/// made elsewhere shows within `TTL`.
/// Entries by key, each with the moment it was loaded.
type Timed<T> = RwLock<HashMap<String, (Instant, T)>>;

#[derive(Default)]
pub(crate) struct AssociationCache {
    by_slug: Timed<Option<Arc<Association>>>,
    by_host: Timed<Option<String>>,
}

const TTL: Duration = Duration::from_secs(5);
const MAX_ENTRIES: usize = 10_000;

impl AssociationCache {
    pub(crate) fn slug(&self, slug: &str) -> Option<Option<Arc<Association>>> {
        let map = self.by_slug.read().ok()?;
        map.get(slug).filter(|(at, _)| at.elapsed() < TTL).map(|(_, a)| a.clone())
    }

    pub(crate) fn put_slug(&self, slug: &str, association: Option<Arc<Association>>) {
        if let Ok(mut map) = self.by_slug.write() {
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
            map.insert(slug.to_owned(), (Instant::now(), association));
        }
    }

    pub(crate) fn host(&self, host: &str) -> Option<Option<String>> {
        let map = self.by_host.read().ok()?;
        map.get(host).filter(|(at, _)| at.elapsed() < TTL).map(|(_, s)| s.clone())
    }

    pub(crate) fn put_host(&self, host: &str, slug: Option<String>) {
        if let Ok(mut map) = self.by_host.write() {
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
            map.insert(host.to_owned(), (Instant::now(), slug));
        }
    }
}
