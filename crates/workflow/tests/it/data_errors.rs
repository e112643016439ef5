//! Loading edited data files: every problem of every file listed at once, with file and line.

use ansinh_workflow::{BUILTIN_SOURCES, Catalogue, DataIssue};

/// A small valid set: one condition-free type, one two-step workflow, one authority.
const TYPES: &str = r#"
format = 1

[[document]]
code = "form-x"
name_vi = "Tờ khai X"
name_en = "Form X"

[[application_type]]
code = "x"
form_vi = "Mẫu X"
name_vi = "X"
name_en = "X"
benefit = "monthly_allowance"
family = "regular"
citation = "c"
confidence = "HIGH"

[[application_type.document]]
code = "form-x"
kind = "attach"
citation = "c"
confidence = "HIGH"
"#;

const FLOW: &str = r#"
format = 1

[[workflow]]
id = "w"
family = "regular"
name_vi = "W"
name_en = "W"
valid_from = 2021-07-01
citation = "c"
confidence = "MED"
receive_roles = ["commune_officer"]

[[workflow.step]]
code = "review"
kind = "review"
name_vi = "R"
name_en = "R"
actor_vi = "A"
actor_en = "A"
roles = ["commune_officer"]
deadline = 7
escalate_to = "commune_chairman"
citation = "c"
confidence = "HIGH"

[[workflow.step.outcome]]
code = "pass"
name_vi = "P"
name_en = "P"
next = "decision"

[[workflow.step]]
code = "decision"
kind = "decision"
name_vi = "D"
name_en = "D"
actor_vi = "A"
actor_en = "A"
roles = ["commune_chairman"]
authority = "chair"
deadline = 3
escalate_to = "province_officer"
citation = "c"
confidence = "HIGH"

[[workflow.step.outcome]]
code = "grant"
name_vi = "G"
name_en = "G"
end = "granted"

[[authority]]
code = "chair"
name_vi = "C"
name_en = "C"
issuer_vi = "I"
issuer_en = "I"
letterhead_vi = ["I {unit}"]
heading_vi = "H {unit}"
signer_vi = "S"
document = "QĐ"
symbol = "UBND"
roles = ["commune_chairman"]
prepare_roles = ["commune_officer"]
"#;

fn line(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not found"))
        + 1
}

/// 1-based line of the first line containing `needle` after the first containing `after`.
fn line_after(text: &str, after: &str, needle: &str) -> usize {
    let start = line(text, after);
    text.lines()
        .enumerate()
        .skip(start)
        .find(|(_, l)| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not found after {after:?}"))
        .0
        + 1
}

fn issues(sources: &[(&str, &str)]) -> Vec<DataIssue> {
    Catalogue::parse(sources).unwrap_err().issues
}

fn has(issues: &[DataIssue], file: &str, line: usize, fragment: &str) {
    assert!(
        issues
            .iter()
            .any(|i| i.file == file && i.line == Some(line) && i.message.contains(fragment)),
        "no issue {file}:{line} containing {fragment:?} in:\n{}",
        issues
            .iter()
            .map(|i| format!("  {i}\n"))
            .collect::<String>()
    );
}

#[test]
fn the_minimal_set_loads_and_the_builtin_set_loads() {
    let c = Catalogue::parse(&[("types.toml", TYPES), ("flow.toml", FLOW)]).unwrap();
    assert_eq!(c.definitions().len(), 1);
    assert_eq!(c.definition("w").unwrap().statutory_days(), 10);
    let b = Catalogue::parse(&BUILTIN_SOURCES).unwrap();
    assert_eq!(b.definitions().len(), 8);
    assert_eq!(b.handovers().len(), 4);
    assert_eq!(
        b.definition("regular-nd20-2021").unwrap().statutory_days(),
        22
    );
    assert_eq!(
        b.definition("regular-nd136-2018").unwrap().statutory_days(),
        28
    );
    assert_eq!(
        b.definition("facility-nd20-2021").unwrap().statutory_days(),
        34
    );
    assert_eq!(
        b.definition("funeral-nd20-2021").unwrap().statutory_days(),
        5
    );
    assert_eq!(
        b.definition("regular-commune-2025")
            .unwrap()
            .statutory_days(),
        10
    );
    // Every to-be-confirmed definition says so and is not labelled HIGH.
    for def in b.definitions().iter().filter(|d| d.to_be_confirmed) {
        assert_ne!(
            def.confidence,
            ansinh_workflow::Confidence::High,
            "{}",
            def.id
        );
    }
}

#[test]
fn every_problem_is_listed_with_file_and_line() {
    let flow = FLOW
        .replace(
            "roles = [\"commune_officer\"]\ndeadline = 7",
            "roles = [\"clerk\"]\ndeadline = 0",
        )
        .replace("next = \"decision\"", "next = \"nowhere\"")
        .replace("end = \"granted\"", "end = \"refused\"")
        .replace(
            "roles = [\"commune_chairman\"]\nauthority = \"chair\"",
            "roles = [\"commune_officer\"]\nauthority = \"mayor\"",
        )
        .replace(
            "valid_from = 2021-07-01",
            "valid_from = 2021-07-01\nvalid_to = 2021-07-01T08:00:00",
        );
    let types = TYPES
        .replace("benefit = \"monthly_allowance\"", "benefit = \"cash\"")
        .replace(
            "kind = \"attach\"",
            "kind = \"attach\"\nwhen = \"pregnant\"",
        )
        .replace(
            "confidence = \"HIGH\"\n\n[[application_type.document]]",
            "confidence = \"SURE\"\n\n[[application_type.document]]",
        );
    let got = issues(&[("types.toml", &types), ("flow.toml", &flow)]);

    has(
        &got,
        "types.toml",
        line(&types, "benefit = \"cash\""),
        "unknown benefit \"cash\"",
    );
    has(
        &got,
        "types.toml",
        line(&types, "SURE"),
        "confidence \"SURE\"",
    );
    has(
        &got,
        "types.toml",
        line(&types, "when = \"pregnant\""),
        "condition \"pregnant\"",
    );
    has(
        &got,
        "flow.toml",
        line(&flow, "clerk"),
        "unknown role \"clerk\"",
    );
    has(
        &got,
        "flow.toml",
        line(&flow, "deadline = 0"),
        "from 1 to 365, got 0",
    );
    has(
        &got,
        "flow.toml",
        line(&flow, "nowhere"),
        "not a step of this workflow",
    );
    has(
        &got,
        "flow.toml",
        line(&flow, "end = \"refused\""),
        "decision step ends with granted or rejected",
    );
    // A table's own problems are reported at its header.
    let header = line_after(&flow, "code = \"pass\"", "[[workflow.step]]");
    has(
        &got,
        "flow.toml",
        header,
        "needs an outcome with end = \"granted\"",
    );
    has(&got, "flow.toml", header, "no outcome leads to it");
    has(
        &got,
        "flow.toml",
        line_after(&flow, "kind = \"decision\"", "roles = "),
        "may not record a decision",
    );
    has(
        &got,
        "flow.toml",
        line(&flow, "mayor"),
        "authority \"mayor\" is not in the [[authority]] list",
    );
    has(&got, "flow.toml", line(&flow, "valid_to"), "must be a date");
    assert_eq!(got.len(), 12, "{got:#?}");
    // Displayed one per line.
    let text = Catalogue::parse(&[("types.toml", &types), ("flow.toml", &flow)])
        .unwrap_err()
        .to_string();
    assert!(text.starts_with(&format!("workflow data has {} problems:", got.len())));
    assert!(text.contains("\n  - flow.toml:"));
}

#[test]
fn steps_only_go_forward_and_handovers_cover_every_step() {
    let flow = FLOW.replace(
        "end = \"granted\"",
        "end = \"granted\"\n\n[[workflow.step.outcome]]\ncode = \"again\"\nname_vi = \"A\"\nname_en = \"A\"\nnext = \"review\"",
    );
    let second = r#"
format = 1

[[workflow]]
id = "w2"
family = "regular"
name_vi = "W2"
name_en = "W2"
valid_from = 2021-06-01
citation = "c"
confidence = "MED"
receive_roles = ["inspector"]

[[workflow.step]]
code = "decision"
kind = "decision"
name_vi = "D"
name_en = "D"
actor_vi = "A"
actor_en = "A"
roles = ["commune_chairman"]
authority = "chair"
escalate_to = "province_officer"
citation = "c"
confidence = "HIGH"
optional = true

[[workflow.step.outcome]]
code = "grant"
name_vi = "G"
name_en = "G"
end = "granted"

[[handover]]
id = "h"
from = "w"
to = "w2"
on = 2025-07-01
roles = ["commune_officer"]
citation = "c"
confidence = "MED"

[handover.map]
decision = "decision"
"#;
    let got = issues(&[
        ("types.toml", TYPES),
        ("flow.toml", &flow),
        ("second.toml", second),
    ]);
    has(
        &got,
        "flow.toml",
        line(&flow, "next = \"review\""),
        "must be a later step",
    );
    has(
        &got,
        "second.toml",
        line(second, "[[workflow]]"),
        "overlap those of workflow \"w\"",
    );
    has(
        &got,
        "second.toml",
        line(second, "inspector"),
        "may not act on dossiers",
    );
    has(
        &got,
        "second.toml",
        line(second, "[[workflow.step]]"),
        "the last step cannot be optional",
    );
    has(
        &got,
        "second.toml",
        line(second, "[handover.map]"),
        "no entry for step \"review\"",
    );
    assert_eq!(got.len(), 5, "{got:#?}");
}

#[test]
fn toml_syntax_and_unknown_keys_are_reported_per_file() {
    let got = issues(&[
        ("types.toml", "format = 1\n[[document]\n"),
        ("flow.toml", "format = 2\n"),
        ("more.toml", "format = 1\ncolour = \"red\"\n"),
    ]);
    assert_eq!(got.len(), 3, "{got:#?}");
    assert_eq!((got[0].file.as_str(), got[0].line), ("types.toml", Some(2)));
    assert_eq!((got[1].file.as_str(), got[1].line), ("more.toml", Some(2)));
    assert!(got[1].message.contains("colour"), "{}", got[1].message);
    assert_eq!((got[2].file.as_str(), got[2].line), ("flow.toml", Some(1)));
    assert!(got[2].message.contains("format 2 is not supported"));
}
