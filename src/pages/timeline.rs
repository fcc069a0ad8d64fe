//! The timeline: every event in date order, grouped by year, one anchor
//! per event (its slug).

use serde::Serialize;

use super::views::{self, DateView, LinkView, SectionView, SourceView};
use super::{Lists, Meta, Page};
use crate::bodies::Html;
use crate::urls::paths;

#[derive(Serialize, Hash)]
struct EventView<'a> {
    slug: &'a str,
    title: &'a str,
    date: DateView,
    end: Option<DateView>,
    status: &'static str,
    status_label: &'a str,
    content: Html,
    questions: Vec<LinkView>,
    sources: Vec<SourceView<'a>>,
    edit_url: Option<String>,
}

#[derive(Serialize, Hash)]
struct YearView<'a> {
    year: String,
    events: Vec<EventView<'a>>,
}

#[derive(Serialize, Hash)]
pub(crate) struct TimelineView<'a> {
    section: SectionView<'a>,
    years: Vec<YearView<'a>>,
    /// Some event holds highlighted code (the page loads `syntax.css`).
    code: bool,
}

pub(crate) fn page<'a>(lists: &'a Lists<'a>) -> Page<TimelineView<'a>> {
    let index = lists.index;
    let from = paths::TIMELINE;
    let mut years: Vec<YearView<'a>> = Vec::new();
    for (e, body) in index.events.iter().zip(&lists.bodies.events) {
        let item = &e.item;
        let year = item.date.start.year().to_string();
        let view = EventView {
            slug: &item.slug,
            title: &item.title,
            date: DateView::of(index, &item.date),
            end: item.end.as_ref().map(|d| DateView::of(index, d)),
            status: item.status.key(),
            status_label: index.t(item.status.ui_key()),
            content: body.html(),
            questions: e
                .questions
                .iter()
                .filter_map(|&q| views::link_to_question(index, from, q))
                .collect(),
            sources: views::sources(index, &item.sources),
            edit_url: index.config.edit_link(&item.source.path),
        };
        match years.last_mut() {
            Some(y) if y.year == year => y.events.push(view),
            _ => years.push(YearView {
                year,
                events: vec![view],
            }),
        }
    }
    let section = views::section(
        index,
        index.sections.timeline.as_ref(),
        lists.bodies.sections.timeline.as_ref(),
        index.t("timeline"),
    );
    let meta = Meta::simple(index, section.title, Some(section.description));
    Page {
        path: from.to_string(),
        template: "timeline.html",
        meta,
        view: TimelineView {
            section,
            years,
            code: lists
                .bodies
                .events
                .iter()
                .chain(&lists.bodies.sections.timeline)
                .any(|b| b.analysis.code),
        },
    }
}
