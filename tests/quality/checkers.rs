//! The checkers nobody here wrote, each first shown a page with a real
//! error (a control) so that a silent checker cannot pass: the Nu HTML
//! Checker (vnu) and axe-core. Apart because they need npm packages and
//! Java, not only Chromium.

use std::path::Path;

use super::{AXE, PAGE_TYPES, VNU, pages};
use crate::common::browser::{Browser, serve_dir};
use crate::common::build_flagship;
use crate::common::harness::checker;

pub(super) fn nu_html_checker_finds_no_errors() {
    let jar = checker(VNU);
    let out = build_flagship(None);
    let public = out.path().join("public");
    let run = |dir: &Path| {
        let output = std::process::Command::new("java")
            .args(["-jar"])
            .arg(&jar)
            .args(["--skip-non-html", "--format", "json"])
            .arg(dir)
            .output()
            .expect("java is needed for the Nu HTML Checker");
        let report: serde_json::Value =
            serde_json::from_slice(&output.stderr).expect("vnu writes JSON to stderr");
        report["messages"].as_array().unwrap().clone()
    };
    // Control: the checker reports a real error.
    let control = tempfile::tempdir().unwrap();
    std::fs::write(
        control.path().join("bad.html"),
        "<!doctype html><html lang=en><title>x</title><p><div></p>",
    )
    .unwrap();
    assert!(
        run(control.path()).iter().any(|m| m["type"] == "error"),
        "vnu control found no error"
    );
    let output = std::process::Command::new("java")
        .args(["-jar"])
        .arg(&jar)
        .args(["--skip-non-html", "--format", "json"])
        .arg(&public)
        .output()
        .expect("java is needed for the Nu HTML Checker");
    let report: serde_json::Value =
        serde_json::from_slice(&output.stderr).expect("vnu writes JSON to stderr");
    let messages = report["messages"].as_array().unwrap();
    let errors: Vec<&serde_json::Value> =
        messages.iter().filter(|m| m["type"] == "error").collect();
    let warnings = messages.len() - errors.len();
    eprintln!(
        "vnu: {} pages, {} errors, {warnings} warnings",
        pages(&public).len(),
        errors.len()
    );
    assert!(errors.is_empty(), "{errors:#?}");
}

pub(super) fn axe_finds_no_serious_or_critical_violations() {
    let axe = checker(AXE);
    let browser = Browser::start();
    let source = std::fs::read_to_string(axe).unwrap();
    let out = build_flagship(None);
    let base = serve_dir(&out.path().join("public"));
    // Control: an image without text is a critical violation.
    std::fs::write(out.path().join("public/control.html"), "<!doctype html><html lang=\"en\"><title>c</title><link rel=\"icon\" href=\"data:,\"><main><img src=\"data:,\"></main></html>").unwrap();
    browser.goto(&format!("{base}/control.html"));
    browser.eval(&format!("{source}\n;return true;"));
    let control = browser.eval_async("var done = arguments[0]; axe.run(document).then(function (r) { done(r.violations.map(function (v) { return v.impact; })); });");
    assert!(
        control.as_array().unwrap().iter().any(|i| i == "critical"),
        "axe control: {control}"
    );
    let mut by_impact: std::collections::BTreeMap<String, usize> = Default::default();
    let mut bad = Vec::new();
    for scheme in ["light", "dark"] {
        browser.color_scheme(scheme);
        for (name, page) in PAGE_TYPES {
            browser.goto(&format!("{base}{page}"));
            browser.eval(&format!("{source}\n;return true;"));
            let violations = browser.eval_async(
                "var done = arguments[0]; axe.run(document).then(function (r) { done(r.violations.map(function (v) { return {id: v.id, impact: v.impact, nodes: v.nodes.length}; })); });",
            );
            for v in violations.as_array().unwrap() {
                let impact = v["impact"].as_str().unwrap_or("none").to_string();
                *by_impact.entry(impact.clone()).or_default() += 1;
                if impact == "serious" || impact == "critical" {
                    bad.push(format!("{name} ({scheme}): {v}"));
                }
            }
        }
    }
    eprintln!("axe violations by impact: {by_impact:?}");
    assert!(bad.is_empty(), "{bad:#?}");
}
