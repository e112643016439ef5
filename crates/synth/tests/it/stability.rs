//! Pinned fingerprints: the same seed must give the same data on every machine.
//!
//! If a deliberate change to the generator (a new name, a retuned rate) alters the data,
//! update the constants below in the same commit; any other change to them means the
//! output stopped being portable (a dependency changed its random stream, or platform-
//! dependent arithmetic crept in).

use ansinh_synth::{DemoConfig, NationalConfig, Profile, demo_province, people};

use crate::fixture::{TODAY, national_communes, travinh_communes};

fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xCBF2_9CE4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3)
    })
}

#[test]
fn demo_fingerprint() {
    let mut config = DemoConfig::new(1, TODAY);
    config.target_people = 3_000;
    let mut text = String::new();
    for h in demo_province(&config, &travinh_communes()).unwrap() {
        text.push_str(&format!(
            "{}|{}|{}|{:?}\n",
            h.commune_code, h.registered_on, h.address, h.poverty
        ));
        for m in &h.members {
            text.push_str(&format!(
                "{}|{}|{}|{}|{:?}|{:?}|{}|{:?}|{:?}\n",
                m.full_name,
                m.birth,
                m.sex,
                m.relation,
                m.cccd.as_ref().map(|c| c.to_string()),
                m.birth_cert_no,
                m.disability,
                m.bank_account,
                m.death_date.map(|d| d.to_string()),
            ));
        }
    }
    assert_eq!(fnv(&text), 1_874_267_249_005_463_144, "demo fingerprint");
}

#[test]
fn national_fingerprint() {
    let config = NationalConfig {
        seed: 1,
        today: TODAY,
        profile: Profile::Beneficiaries,
    };
    let mut text = String::new();
    for p in people(&config, &national_communes(), 3_000).unwrap() {
        text.push_str(&format!(
            "{}|{}|{}|{:?}|{:?}|{:?}\n",
            p.full_name,
            p.birth,
            p.hamlet,
            p.cccd.map(|c| c.to_string()),
            p.facts.group,
            p.facts.poverty,
        ));
    }
    assert_eq!(
        fnv(&text),
        4_556_653_517_000_048_648,
        "national fingerprint"
    );
}
