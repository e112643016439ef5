//! The catalogue as data: text round trips, validation with every problem listed, layering,
//! a new decree as a data change, provincial overlays, order independence.

use crate::support::*;
use ansinh_domain::person::PovertyStatus::{self, Poor};
use ansinh_policy::catalogue::BUILTIN;
use ansinh_policy::facts::Flag;
use ansinh_policy::{Catalogue, CatalogueBuilder, Fragment, Money};

#[test]
fn every_builtin_fragment_round_trips_through_text() {
    for (name, text) in BUILTIN {
        let fragment = Fragment::from_toml(name, text).unwrap();
        let again = fragment.to_toml().unwrap();
        let back = Fragment::from_toml(name, &again).unwrap();
        assert_eq!(back, fragment, "{name}");
    }
    // The catalogue built from serialised fragments evaluates the same.
    let rebuilt = BUILTIN
        .iter()
        .fold(CatalogueBuilder::new(), |b, (name, text)| {
            let f = Fragment::from_toml(name, text).unwrap();
            b.add_toml(name, &f.to_toml().unwrap())
        })
        .build()
        .unwrap();
    assert_eq!(rebuilt.fingerprint(), catalogue().fingerprint());
}

/// A hypothetical decree as data only: base 600.000 from 01/2027 and a new group k9.
const HYPOTHETICAL: &str = r#"
[[base]]
id = "base-2027-hypothetical"
scale = "allowance"
from = "2027-01"
amount = 600000
signed = "2027-02-10"
citation = { decree = "999/2026/NĐ-CP", article = 1 }
confidence = "UNVERIFIED"

[[version]]
id = "nd999-2026"
extends = "nd176-2025"
from = "2027-01"
decree = "999/2026/NĐ-CP"
title_vi = "Nghị định giả định 999/2026/NĐ-CP"
title_en = "Hypothetical Decree 999/2026/ND-CP"
confidence = "UNVERIFIED"

[[version.group]]
code = "k9"
name_vi = "Người chăm sóc người khuyết tật đặc biệt nặng"
name_en = "Carer of a person with especially severe disability"
citation = { decree = "999/2026/NĐ-CP", article = 5, clause = 9 }

[[version.rule]]
id = "k9-carer"
group = "k9"
label_vi = "người nghèo chăm sóc người khuyết tật đặc biệt nặng"
label_en = "poor carer of a person with especially severe disability"
when = { all = [{ poverty = ["poor"] }, { flag = "hardship_household" }, { age = { min = 18 } }] }
coefficient = 100
citation = { decree = "999/2026/NĐ-CP", article = 6, clause = 1, point = "i" }
confidence = "UNVERIFIED"
"#;

#[test]
fn a_new_decree_is_a_data_change() {
    let c = CatalogueBuilder::builtin()
        .add_toml("added/nd999-2026.toml", HYPOTHETICAL)
        .build()
        .unwrap();
    let s = with_flags(person("1980-01-01", Poor), &[Flag::HardshipHousehold]);
    assert_eq!(
        allowance(&c, "2026-12", &s),
        0,
        "not before the decree's month"
    );
    assert_eq!(allowance(&c, "2027-01", &s), 600_000);
    let r = report(&c, "2027-01", &s);
    assert_eq!(r.policy_version.id, "nd999-2026");
    assert_eq!(
        r.monthly_allowance.unwrap().lines[0].group.as_deref(),
        Some("k9")
    );
    // Existing groups get the new base from that month, and not before.
    let elderly = person("1950-01-01", Poor);
    assert_eq!(allowance(&c, "2026-12", &elderly), 810_000);
    assert_eq!(allowance(&c, "2027-01", &elderly), 900_000);
}

#[test]
fn catalogue_problems_are_all_listed() {
    let broken = r#"
[[base]]
id = "bad-province"
scale = "allowance"
province = "1"
from = "2026-01"
amount = 100000
citation = { decree = "x" }
confidence = "LOW"

[[version]]
id = "broken"
extends = "nd176-2025"
from = "2026-09"
decree = "x"
title_vi = "x"
title_en = "x"
confidence = "LOW"

[version.funding]
default = "local"
basis = { citation = { decree = "x" }, confidence = "LOW" }

[version.funding.benefit]
wizardry = "central"

[[version.rule]]
id = "r1"
group = "k42"
label_vi = "x"
label_en = "x"
when = { all = [{ flag = "wizard" }, { poverty = ["rich"] }, { receives = ["allowance"] }, { age = { min = 5, max = 3 } }] }
coefficient = 100
kind = "sometimes"
citation = { decree = "x" }
confidence = "LOW"

[[version.rule]]
id = "r2"
group = "k1"
label_vi = "x"
label_en = "x"
coefficient = 100
citation = { decree = "x" }
confidence = "LOW"

[[version.rule]]
id = "r2"
group = "k1"
label_vi = "x"
label_en = "x"
citation = { decree = "x" }
confidence = "LOW"

[[version.emergency]]
id = "e1"
trigger = "meteor"
label_vi = "x"
label_en = "x"
amount = 1
citation = { decree = "x" }
confidence = "LOW"
"#;
    let err = CatalogueBuilder::builtin()
        .add_toml("added/broken.toml", broken)
        .build()
        .unwrap_err();
    let messages: Vec<String> = err
        .iter()
        .map(|p| format!("{} {}", p.code, p.message))
        .collect();
    for needle in [
        "duplicate-id",
        "\"1\" is not a 2-digit province code",
        "\"k42\" is not defined",
        "\"wizard\" is not a known flag",
        "\"rich\" is not a known poverty status",
        "`receives` cannot be used",
        "range min 5 must be below max 3",
        "kind \"sometimes\"",
        "\"meteor\" is not a kind of emergency",
        "give exactly one of `coefficient`, `amount` or `quantity_kg`",
        "not a benefit: allowance, caregiving",
    ] {
        assert!(
            messages.iter().any(|m| m.contains(needle)),
            "{needle:?} not in {messages:#?}"
        );
    }
}

#[test]
fn syntax_errors_name_the_file() {
    let err = CatalogueBuilder::builtin()
        .add_toml(
            "added/typo.toml",
            "[[version]]\nid = \"x\"\ncoeficient = 3\n",
        )
        .build()
        .unwrap_err();
    assert_eq!(err[0].code, "catalogue-syntax");
    assert_eq!(err[0].path, "added/typo.toml");
}

#[test]
fn provincial_overlays_add_groups_and_raise_bases_never_lower() {
    let overlay = r#"
[[base]]
id = "allowance-86-2026"
scale = "allowance"
province = "86"
from = "2026-01"
amount = 520000
citation = { decree = "Nghị quyết giả định của HĐND tỉnh Vĩnh Long" }
confidence = "UNVERIFIED"

[[version]]
id = "vinh-long-2026"
province = "86"
from = "2026-01"
decree = "Nghị quyết giả định"
title_vi = "Chính sách bổ sung của tỉnh Vĩnh Long"
title_en = "Vĩnh Long provincial supplement"
confidence = "UNVERIFIED"

[[version.group]]
code = "p86-1"
name_vi = "Người cao tuổi 70–75 thuộc hộ cận nghèo"
name_en = "Near-poor elderly aged 70 to 75"
citation = { decree = "Nghị quyết giả định" }

[[version.rule]]
id = "p86-near-poor-70"
group = "p86-1"
label_vi = "người 70–75 tuổi thuộc hộ cận nghèo"
label_en = "near-poor person aged 70 to 75"
when = { all = [{ poverty = ["near_poor"] }, { age = { min = 70, max = 75 } }] }
coefficient = 100
citation = { decree = "Nghị quyết giả định" }
confidence = "UNVERIFIED"
"#;
    let c = CatalogueBuilder::builtin()
        .add_toml("provinces/86-added.toml", overlay)
        .build()
        .unwrap();
    let mut s = person("1954-06-01", PovertyStatus::NearPoor);
    s.person.flags.insert(Flag::HasSupporter);
    s.province = Some("86".into());
    assert_eq!(allowance(&c, "2026-03", &s), 520_000);
    let r = report(&c, "2026-03", &s);
    assert_eq!(
        r.policy_version.overlays,
        vec!["vinh-long-2026".to_string()]
    );
    // Other provinces: no such group.
    s.province = Some("84".into());
    assert_eq!(allowance(&c, "2026-03", &s), 0);
    // When the national base rises above the provincial one (540.000, 07/2026), it wins.
    let mut k5 = person("1950-01-01", Poor);
    k5.province = Some("86".into());
    assert_eq!(allowance(&c, "2026-06", &k5), 780_000, "1.5 × 520.000");
    assert_eq!(allowance(&c, "2026-07", &k5), 810_000, "1.5 × 540.000");
    // A provincial base below the national one is refused.
    let low = overlay.replace("amount = 520000", "amount = 400000");
    let err = CatalogueBuilder::builtin()
        .add_toml("provinces/86-added.toml", &low)
        .build()
        .unwrap_err();
    assert!(
        err.iter().any(|p| p.code == "overlay-below-national"),
        "{err:#?}"
    );
}

#[test]
fn a_later_layer_corrects_an_unverified_figure() {
    // Correct the 136/2013 facility coefficient (UNVERIFIED) without touching the built-in.
    let correction = r#"
[[version]]
id = "nd136-2013-corrected"
extends = "nd136-2013"
from = "2014-01"
decree = "136/2013/NĐ-CP"
title_vi = "Nghị định 136/2013/NĐ-CP (đã hiệu chỉnh)"
title_en = "Decree 136/2013/ND-CP (corrected)"
confidence = "MED"

[[version.facility]]
id = "facility-4-plus"
payee = "facility"
label_vi = "trợ cấp nuôi dưỡng tại cơ sở, từ đủ 4 tuổi"
label_en = "facility living allowance, aged 4 or more"
when = { all = [{ in_facility = true }, { age = { min = 4 } }] }
coefficient = 300
kind = "floor"
citation = { decree = "136/2013/NĐ-CP", article = 25, clause = 1 }
confidence = "HIGH"
"#;
    let c = CatalogueBuilder::builtin()
        .add_toml("added/correction.toml", correction)
        .build()
        .unwrap();
    let mut s = person("2010-01-01", PovertyStatus::None);
    s.facility = Some(ansinh_policy::facts::FacilityStay {
        facility_id: None,
        admitted: month("2015-01"),
        left: None,
    });
    assert_eq!(
        eval(&c, "2019-06", &s).facility.map(|l| l.amount),
        Some(Money(810_000))
    );
    assert_eq!(
        eval(&c, "2023-06", &s).facility.map(|l| l.amount),
        Some(Money(1_440_000))
    );
}

#[test]
fn builtin_catalogue_flags_what_was_not_verified() {
    let c = catalogue();
    let text: String = c
        .layers()
        .iter()
        .map(|l| l.fragment.to_toml().unwrap())
        .collect();
    for label in ["UNVERIFIED", "LOW", "MED", "HIGH"] {
        assert!(
            text.contains(&format!("confidence = \"{label}\"")),
            "{label}"
        );
    }
    let _ = Catalogue::builtin().unwrap();
}

#[test]
fn age_bands_that_give_way_and_tiers_are_checked() {
    let bad = r#"
[[base]]
id = "tiered"
scale = "allowance"
from = "2027-01"
amount = 600000
citation = { decree = "x" }
confidence = "LOW"

[[base.tier]]
when = { poverty = ["none"] }
amount = -1
citation = { decree = "x" }
confidence = "LOW"

[[version]]
id = "bands"
extends = "nd176-2025"
from = "2027-01"
decree = "x"
title_vi = "x"
title_en = "x"
confidence = "LOW"

[[version.rule]]
id = "both-limits"
group = "k1"
label_vi = "x"
label_en = "x"
when = { age = { max = 4, below = 4 } }
coefficient = 100
citation = { decree = "x" }
confidence = "LOW"

[[version.rule]]
id = "empty-band"
group = "k1"
label_vi = "x"
label_en = "x"
when = { age = { min = 4, below = 4 } }
coefficient = 100
citation = { decree = "x" }
confidence = "LOW"
"#;
    let err = CatalogueBuilder::builtin()
        .add_toml("added/bands.toml", bad)
        .build()
        .unwrap_err();
    let messages: Vec<String> = err.iter().map(|p| p.message.clone()).collect();
    for needle in [
        "give `max` or `below`, not both",
        "range min 4 must be below below 4",
        "a base cannot be negative",
    ] {
        assert!(
            messages.iter().any(|m| m.contains(needle)),
            "{needle:?} not in {messages:#?}"
        );
    }
}
