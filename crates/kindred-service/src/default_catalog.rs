//! The catalogue an association gets when its configuration file has no
//! `[catalog]` at all: a general one for a self-help platform that several
//! conditions share, so that a new association can be tried out at once.
//! Associations replace it with their own (see `docs/association-config.md`);
//! once created, an association keeps the catalogue it was stored with.

use kindred_domain::settings::{Catalog, CatalogEntry, Code, CodeError, Condition, LocalizedText};

type Entry = (&'static str, &'static str, &'static str, &'static str);

const CONDITIONS: [(Entry, &[Entry]); 6] = [
    (
        ("ms", "Multiple sclerosis", "Multiple Sklerose", "Multiple sclerose"),
        &[
            ("cis", "Clinically isolated syndrome", "Klinisch isoliertes Syndrom", "Klinisch geïsoleerd syndroom"),
            ("rrms", "Relapsing-remitting", "Schubförmig remittierend", "Relapsing-remitting"),
            ("spms", "Secondary progressive", "Sekundär progredient", "Secundair progressief"),
            ("ppms", "Primary progressive", "Primär progredient", "Primair progressief"),
        ],
    ),
    (
        ("parkinson", "Parkinson's disease", "Parkinson-Krankheit", "Ziekte van Parkinson"),
        &[
            ("tremor_dominant", "Tremor-dominant", "Tremordominant", "Tremor-dominant"),
            ("akinetic_rigid", "Akinetic-rigid", "Akinetisch-rigide", "Akinetisch-rigide"),
            ("mixed", "Mixed type", "Äquivalenztyp", "Gemengd type"),
        ],
    ),
    (
        ("depression", "Depression", "Depression", "Depressie"),
        &[
            ("single_episode", "Single episode", "Einzelne Episode", "Eenmalige episode"),
            ("recurrent", "Recurrent", "Wiederkehrend", "Terugkerend"),
            ("chronic", "Chronic", "Chronisch", "Chronisch"),
        ],
    ),
    (("rheumatoid_arthritis", "Rheumatoid arthritis", "Rheumatoide Arthritis", "Reumatoïde artritis"), &[]),
    (
        ("cancer", "Cancer", "Krebs", "Kanker"),
        &[
            ("breast", "Breast cancer", "Brustkrebs", "Borstkanker"),
            ("colorectal", "Colorectal cancer", "Darmkrebs", "Darmkanker"),
            ("lung", "Lung cancer", "Lungenkrebs", "Longkanker"),
            ("prostate", "Prostate cancer", "Prostatakrebs", "Prostaatkanker"),
            ("other", "Another cancer", "Andere Krebserkrankung", "Andere kanker"),
        ],
    ),
    (("other", "Another condition", "Andere Erkrankung", "Andere aandoening"), &[]),
];

const THERAPIES: [Entry; 8] = [
    ("physiotherapy", "Physiotherapy", "Physiotherapie", "Fysiotherapie"),
    ("occupational_therapy", "Occupational therapy", "Ergotherapie", "Ergotherapie"),
    ("speech_therapy", "Speech therapy", "Logopädie", "Logopedie"),
    ("psychotherapy", "Psychotherapy", "Psychotherapie", "Psychotherapie"),
    ("rehabilitation", "Rehabilitation", "Rehabilitation", "Revalidatie"),
    ("chemotherapy", "Chemotherapy", "Chemotherapie", "Chemotherapie"),
    ("radiotherapy", "Radiotherapy", "Strahlentherapie", "Radiotherapie"),
    ("self_help_group", "Self-help group", "Selbsthilfegruppe", "Zelfhulpgroep"),
];

const MEDICATIONS: [Entry; 8] = [
    ("interferon_beta", "Interferon beta", "Interferon beta", "Interferon bèta"),
    ("ocrelizumab", "Ocrelizumab", "Ocrelizumab", "Ocrelizumab"),
    ("levodopa", "Levodopa", "Levodopa", "Levodopa"),
    ("sertraline", "Sertraline", "Sertralin", "Sertraline"),
    ("methotrexate", "Methotrexate", "Methotrexat", "Methotrexaat"),
    ("tamoxifen", "Tamoxifen", "Tamoxifen", "Tamoxifen"),
    ("cortisone", "Cortisone", "Kortison", "Cortison"),
    ("pain_medication", "Pain medication", "Schmerzmittel", "Pijnstillers"),
];

const SYMPTOMS: [Entry; 5] = [
    ("fatigue", "Fatigue", "Fatigue (Erschöpfung)", "Vermoeidheid"),
    ("pain", "Pain", "Schmerzen", "Pijn"),
    ("sleep", "Sleep problems", "Schlafprobleme", "Slaapproblemen"),
    ("mobility", "Walking and mobility", "Gehen und Beweglichkeit", "Lopen en mobiliteit"),
    ("mood", "Low mood", "Niedergeschlagenheit", "Somberheid"),
];

const REGIONS: [Entry; 5] = [
    ("north", "North", "Nord", "Noord"),
    ("east", "East", "Ost", "Oost"),
    ("south", "South", "Süd", "Zuid"),
    ("west", "West", "West", "West"),
    ("centre", "Centre", "Mitte", "Midden"),
];

fn entry(&(code, en, de, nl): &Entry) -> Result<CatalogEntry, CodeError> {
    Ok(CatalogEntry { code: Code::parse(code)?, name: LocalizedText::builtin(en, de, nl), retired: false })
}

fn entries(list: &[Entry]) -> Result<Vec<CatalogEntry>, CodeError> {
    list.iter().map(entry).collect()
}

/// The built-in catalogue, with the given roles. Fails only if a built-in
/// code were malformed (a unit test makes sure none is).
pub fn default_catalog(roles: Vec<CatalogEntry>) -> Result<Catalog, CodeError> {
    let conditions = CONDITIONS
        .iter()
        .map(|(condition, forms)| {
            let CatalogEntry { code, name, .. } = entry(condition)?;
            Ok(Condition { code, name, forms: entries(forms)?, retired: false })
        })
        .collect::<Result<Vec<_>, CodeError>>()?;
    Ok(Catalog {
        roles,
        conditions,
        therapies: entries(&THERAPIES)?,
        medications: entries(&MEDICATIONS)?,
        symptoms: entries(&SYMPTOMS)?,
        regions: entries(&REGIONS)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_code_parses() {
        let catalog = default_catalog(Vec::new()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(catalog.conditions.len(), 6);
        assert_eq!(catalog.conditions[0].forms.len(), 4);
        assert!(!catalog.therapies.is_empty() && !catalog.medications.is_empty() && !catalog.regions.is_empty());
    }
}
