//! Quality of the flagship site measured in a real browser and by checkers
//! nobody here wrote: console errors, small screens, keyboard use, the same
//! build from disk and under a sub-path, the Nu HTML Checker (vnu) and
//! axe-core. Screenshots go to target/screenshots/.
//!
//! The checkers come from npm (`.ci/run` installs them into
//! target/checkers). This target has its own test list
//! (`common::harness`, `harness = false`): without Chromium or a checker
//! the tests that need it show as ignored, and fail when
//! DOSSIER_REQUIRE_BROWSER=1.
//!
//! This file holds the test list and what several checks share (the page
//! lists); the checks sit in one module per job: `navigation`,
//! `screenshots`, `layout`, `previews` (the glossary previews), `checkers`
//! (vnu and axe) and `built_files` (no browser).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

// `common` is shared by every test target, one folder up.
#[path = "../common/mod.rs"]
mod common;

mod built_files;
mod checkers;
mod layout;
mod navigation;
mod previews;
mod screenshots;

use std::path::Path;
use std::process::ExitCode;

use built_files::{
    home_and_question_pages_weigh_under_50_kb_gzipped, one_h1_per_page_and_no_gaps_in_heading_order,
};
use checkers::{axe_finds_no_serious_or_critical_violations, nu_html_checker_finds_no_errors};
use common::harness::{Needs::Checker, Needs::Chromium, check};
use layout::{
    chart_text_is_11_px_or_more_on_a_phone_and_only_plans_are_dashed,
    home_and_a_question_do_not_shift_while_loading,
    images_load_without_layout_shift_from_disk_and_a_sub_path,
};
use navigation::{
    copy_links_and_previews_work_from_the_keyboard,
    every_page_loads_without_console_errors_or_failed_requests,
    flagship_home_page_has_no_console_errors_in_chromium,
    the_chinese_site_opens_from_disk_switches_language_and_searches_in_chinese,
    the_same_build_works_from_disk_and_under_a_sub_path_in_chromium,
};
use previews::{
    every_glossary_link_has_a_preview, keyboard_focus_on_a_term_link_shows_its_preview,
    previews_stay_inside_the_window_at_320_375_and_1280_px,
    the_pointer_can_move_into_a_preview_and_escape_closes_it,
};
use screenshots::no_page_scrolls_sideways_at_320_or_375_px_and_screenshots_are_written;

const VNU: &str = "vnu-jar/build/dist/vnu.jar";
const AXE: &str = "axe-core/axe.min.js";

fn main() -> ExitCode {
    common::harness::run(&[
        check!(
            every_page_loads_without_console_errors_or_failed_requests,
            [Chromium]
        ),
        check!(
            no_page_scrolls_sideways_at_320_or_375_px_and_screenshots_are_written,
            [Chromium]
        ),
        check!(copy_links_and_previews_work_from_the_keyboard, [Chromium]),
        check!(nu_html_checker_finds_no_errors, [Checker(VNU)]),
        check!(
            axe_finds_no_serious_or_critical_violations,
            [Checker(AXE), Chromium]
        ),
        check!(one_h1_per_page_and_no_gaps_in_heading_order, []),
        check!(home_and_question_pages_weigh_under_50_kb_gzipped, []),
        check!(
            flagship_home_page_has_no_console_errors_in_chromium,
            [Chromium]
        ),
        check!(keyboard_focus_on_a_term_link_shows_its_preview, [Chromium]),
        check!(
            the_same_build_works_from_disk_and_under_a_sub_path_in_chromium,
            [Chromium]
        ),
        check!(
            images_load_without_layout_shift_from_disk_and_a_sub_path,
            [Chromium]
        ),
        check!(
            previews_stay_inside_the_window_at_320_375_and_1280_px,
            [Chromium]
        ),
        check!(
            the_pointer_can_move_into_a_preview_and_escape_closes_it,
            [Chromium]
        ),
        check!(every_glossary_link_has_a_preview, [Chromium]),
        check!(
            chart_text_is_11_px_or_more_on_a_phone_and_only_plans_are_dashed,
            [Chromium]
        ),
        check!(home_and_a_question_do_not_shift_while_loading, [Chromium]),
        check!(
            the_chinese_site_opens_from_disk_switches_language_and_searches_in_chinese,
            [Chromium]
        ),
    ])
}

/// Every HTML page of the output, as URL paths.
fn pages(public: &Path) -> Vec<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(public)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(public)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            format!("/{}", rel.trim_end_matches("index.html"))
        })
        .collect();
    pages.sort();
    pages
}

/// One page of each kind, for the checks that look closely.
const PAGE_TYPES: &[(&str, &str)] = &[
    ("home", "/"),
    ("question", "/faq/ai-chip-production-2025/"),
    ("timeline", "/timeline/"),
    ("glossary", "/glossary/"),
    ("tags", "/tags/"),
    ("tag", "/tags/huawei/"),
    ("not-found", "/404.html"),
    ("print", "/print/"),
];

/// The Chinese pages the sideways check and the screenshots also cover.
const ZH_PAGE_TYPES: &[(&str, &str)] = &[
    ("zh-home", "/zh/"),
    ("zh-question", "/zh/faq/ai-chip-production-2025/"),
    ("zh-timeline", "/zh/timeline/"),
    ("zh-glossary", "/zh/glossary/"),
    ("zh-print", "/zh/print/"),
];
