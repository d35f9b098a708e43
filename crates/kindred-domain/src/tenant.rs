//! Which association a request is for: by path prefix `/a/{slug}`, or by the
//! host name an association's configuration maps to it.

/// Paths that belong to the deployment, never to an association, on every host.
const DEPLOYMENT_PATHS: [&str; 4] = ["/healthz", "/readyz", "/metrics", "/api/v1/openapi.json"];
/// Prefixes of deployment paths (embedded assets).
const DEPLOYMENT_PREFIXES: [&str; 1] = ["/static/"];

/// How a request path relates to associations, before any look-up.
#[derive(Debug, PartialEq, Eq)]
pub enum PathTarget<'a> {
    /// Health, metrics, static assets: served the same on every host.
    Deployment,
    /// `/a/{slug}/…`: the association is named in the path.
    Prefixed { slug: &'a str },
    /// Anything else: on a host mapped to an association it is that
    /// association's path; elsewhere it is the deployment's own page.
    Unprefixed,
}

pub fn classify_path(path: &str) -> PathTarget<'_> {
    if DEPLOYMENT_PATHS.contains(&path) || DEPLOYMENT_PREFIXES.iter().any(|p| path.starts_with(p)) {
        return PathTarget::Deployment;
    }
    if let Some(rest) = path.strip_prefix("/a/") {
        let slug = rest.split('/').next().unwrap_or("");
        return PathTarget::Prefixed { slug };
    }
    PathTarget::Unprefixed
}

/// The path an unprefixed request on a mapped host is served as.
pub fn prefixed_path(slug: &str, path: &str) -> String {
    if path == "/" || path.is_empty() {
        format!("/a/{slug}/")
    } else {
        format!("/a/{slug}{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deployment_paths_stay_deployment_paths() {
        for p in ["/healthz", "/readyz", "/metrics", "/static/kindred.css", "/api/v1/openapi.json"] {
            assert_eq!(classify_path(p), PathTarget::Deployment, "{p}");
        }
        assert_eq!(classify_path("/healthzz"), PathTarget::Unprefixed);
        assert_eq!(classify_path("/static"), PathTarget::Unprefixed);
    }

    #[test]
    fn prefixed_paths_name_their_slug() {
        assert_eq!(classify_path("/a/demo/"), PathTarget::Prefixed { slug: "demo" });
        assert_eq!(classify_path("/a/demo"), PathTarget::Prefixed { slug: "demo" });
        assert_eq!(classify_path("/a/demo/api/v1/catalog"), PathTarget::Prefixed { slug: "demo" });
        assert_eq!(classify_path("/a/"), PathTarget::Prefixed { slug: "" });
    }

    #[test]
    fn everything_else_is_unprefixed() {
        assert_eq!(classify_path("/"), PathTarget::Unprefixed);
        assert_eq!(classify_path("/privacy"), PathTarget::Unprefixed);
        assert_eq!(classify_path("/api/v1/catalog"), PathTarget::Unprefixed);
        assert_eq!(prefixed_path("demo", "/"), "/a/demo/");
        assert_eq!(prefixed_path("demo", "/api/v1/catalog"), "/a/demo/api/v1/catalog");
    }
}
