//! Share cards of a build: which pages get one (the home page, each
//! question and standalone page, the timeline and the glossary), what it
//! says, where it goes, and the `og:image` every such page announces.
//!
//! Cards are planned before any page is rendered, so that each page can
//! name its card; the planning measures every title, and a title with a
//! character no card font has is an error at the title. The PNGs are drawn
//! after the pages, in parallel, or read from `.dossier-cache/media/`. A
//! card is named after what it shows (`faq/x/card.1a2b3c4d.png`), so a new
//! title is a new address and social sites fetch it again.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::content::ShareImage;
use crate::diagnostic::Diagnostic;
use crate::link::Index;
use crate::load::Source;
use crate::load::hash_of;
use crate::media::cache::ImageCache;
use crate::media::card::{self, CARD_HEIGHT, CARD_WIDTH, CardError, CardStyle, CardText};
use crate::media::fonts::CardFonts;
use crate::output::OutputFile;
use crate::pictures::SiteMedia;
use crate::urls::paths;

/// What a page's head says about its share image.
#[derive(Debug, Clone, Serialize, Hash, PartialEq, Eq)]
pub struct ShareView {
    /// Absolute URL.
    pub url: String,
    /// Size in pixels, when known.
    pub width: Option<u32>,
    /// Height in pixels, when known.
    pub height: Option<u32>,
    /// What the image shows.
    pub alt: String,
}

/// One card to draw.
#[derive(Debug, Clone)]
struct Plan {
    site_title: String,
    title: String,
    kicker: Option<String>,
    /// Site path of the PNG.
    file: String,
    key: u64,
}

/// The share images of a build: the view for each page, and the cards to
/// draw.
#[derive(Default)]
pub struct Cards {
    /// By page path (`faq/x/`).
    pub views: HashMap<String, ShareView>,
    plans: Vec<Plan>,
    fonts: Option<Arc<CardFonts>>,
    style: CardStyle,
}

/// Fonts for cards, kept between the rebuilds of `dossier serve`: the key
/// of the files they were read from, and the fonts.
pub type FontMemo = Option<(u64, Arc<CardFonts>)>;

/// The fonts named in `site.toml`, read again only when a file changed.
fn fonts(root: &Path, config: &Config, memo: &mut FontMemo) -> Result<Arc<CardFonts>, Diagnostic> {
    let files: Vec<PathBuf> = config.card_fonts.iter().map(|f| root.join(f)).collect();
    let stamps: Vec<_> = files
        .iter()
        .map(|f| {
            std::fs::metadata(f)
                .map(|m| (m.len(), m.modified().ok()))
                .ok()
        })
        .collect();
    let key = hash_of(&(&config.card_fonts, stamps));
    if let Some((k, fonts)) = memo
        && *k == key
    {
        return Ok(fonts.clone());
    }
    let fonts = Arc::new(CardFonts::new(&files).map_err(|e| {
        Diagnostic::error_in(format!("cannot use the share card fonts: {e}"), Some(Path::new("site.toml").into()))
            .with_help("`card_fonts` lists TrueType or OpenType files (.ttf, .otf, .ttc), relative to the site folder")
    })?);
    *memo = Some((key, fonts.clone()));
    Ok(fonts)
}

/// Plans the share images of every page that has one: the writer's own
/// (`image` in front-matter) or a card when `share_cards` is on. Errors:
/// a missing share image, a title no card font can draw, font files that
/// cannot be read. The warning: cards need an absolute `base_url`.
pub fn plan(
    root: &Path,
    index: &Index,
    media: &SiteMedia,
    memo: &mut FontMemo,
) -> Result<(Cards, Vec<Diagnostic>), Vec<Diagnostic>> {
    let config = &index.config;
    let mut cards = Cards::default();
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let absolute =
        config.base_url.starts_with("http://") || config.base_url.starts_with("https://");
    let wanted = config.share_cards
        || index.questions.iter().any(|q| q.item.image.is_some())
        || index.pages.iter().any(|p| p.item.image.is_some());
    if !wanted {
        return Ok((cards, warnings));
    }
    if !absolute {
        warnings.push(
            Diagnostic::error_in(
                "share images are left out: link previews need an absolute `base_url`".to_string(),
                Some(Path::new("site.toml").into()),
            )
            .warning()
            .with_help("set `base_url = \"https://example.org/explainer/\"` in site.toml, or pass --base-url to the build"),
        );
        return Ok((cards, warnings));
    }
    if config.share_cards {
        cards.fonts = Some(fonts(root, config, memo).map_err(|d| vec![d])?);
    }
    // The site's title is on every card: a character no font has is one
    // error, at site.toml.
    let site_problem = cards
        .fonts
        .as_ref()
        .and_then(|fonts| site_title_problem(root, &config.title, fonts));
    let site_drawable = site_problem.is_none();
    problems.extend(site_problem);
    let mut planner = Planner {
        index,
        cards: &mut cards,
        problems: &mut problems,
        site_title: &config.title,
        site_drawable,
    };
    planner.sections();
    planner.documents();
    own_images(index, media, &mut cards, &mut problems);
    if problems.is_empty() {
        Ok((cards, warnings))
    } else {
        Err(problems)
    }
}

/// The error for a site title that no card font can draw, pointing at its
/// line in `site.toml` when it can be found; `None` when it can be drawn.
fn site_title_problem(root: &Path, site_title: &str, fonts: &CardFonts) -> Option<Diagnostic> {
    let e = crate::media::layout::measure(site_title, fonts, crate::media::fonts::REGULAR).err()?;
    let at = site_text(root).and_then(|text| {
        let start = text.find("title")?;
        let len = text.get(start..)?.find('\n').unwrap_or(text.len() - start);
        Some((text, start..start + len))
    });
    let d = match at {
        Some((text, range)) => Diagnostic::error(
            format!("the site's title cannot be drawn on share cards: {e}"),
            crate::diagnostic::Span::new(Path::new("site.toml").into(), text.into(), range),
        )
        .with_label("the site's title"),
        None => Diagnostic::error_in(
            format!("the site's title cannot be drawn on share cards: {e}"),
            Some(Path::new("site.toml").into()),
        ),
    };
    Some(d.with_help(CARD_FONT_HELP))
}

/// Where a title is written, to point a problem drawing it at.
type TitleAt<'s> = Option<(&'s Source, std::ops::Range<usize>)>;

/// Plans the drawn cards, page by page, collecting the titles that cannot
/// be drawn.
struct Planner<'a> {
    index: &'a Index,
    cards: &'a mut Cards,
    problems: &'a mut Vec<Diagnostic>,
    site_title: &'a str,
    /// False when the site's title cannot be drawn (reported once).
    site_drawable: bool,
}

impl Planner<'_> {
    /// The cards of the home page, the timeline and the glossary, titled
    /// by their section introductions when they have one.
    fn sections(&mut self) {
        let sections = &self.index.sections;
        let section =
            |s: &Option<crate::content::Item<crate::content::Section>>, default: &str| match s {
                Some(item) => (
                    item.title.clone().unwrap_or_else(|| default.to_string()),
                    Some((item.source.clone(), item.title_at.clone())),
                ),
                None => (default.to_string(), None),
            };
        let home = section(&sections.home, self.site_title);
        let index = self.index;
        let timeline = section(&sections.timeline, index.t("timeline"));
        let glossary = section(&sections.glossary, index.t("glossary"));
        fn at(s: &Option<(Source, std::ops::Range<usize>)>) -> TitleAt<'_> {
            s.as_ref().map(|(s, r)| (s, r.clone()))
        }
        self.card(paths::HOME, &home.0, None, at(&home.1));
        self.card(
            paths::TIMELINE,
            &timeline.0,
            Some(index.t("timeline")),
            at(&timeline.1),
        );
        self.card(
            paths::GLOSSARY,
            &glossary.0,
            Some(index.t("glossary")),
            at(&glossary.1),
        );
    }

    /// The cards of the questions and pages without an image of their own.
    fn documents(&mut self) {
        let index = self.index;
        for q in &index.questions {
            let item = &q.item;
            if item.image.is_none() {
                self.card(
                    &q.path,
                    &item.title,
                    Some(index.t("kind_question")),
                    Some((&item.source, item.title_at.clone())),
                );
            }
        }
        for p in &index.pages {
            let item = &p.item;
            if item.image.is_none() {
                self.card(
                    &p.path,
                    &item.title,
                    None,
                    Some((&item.source, item.title_at.clone())),
                );
            }
        }
    }

    /// Plans the card of `page`, or reports why its title cannot be drawn.
    fn card(&mut self, page: &str, title: &str, kicker: Option<&str>, at: TitleAt<'_>) {
        let cards = &mut *self.cards;
        let Some(fonts) = &cards.fonts else {
            return;
        };
        // The home page's card does not say the site's title twice (nor
        // report it twice).
        if !self.site_drawable && title == self.site_title {
            return;
        }
        let site = if !self.site_drawable || title == self.site_title {
            ""
        } else {
            self.site_title
        };
        let text = CardText {
            site_title: site,
            title,
            kicker,
        };
        if let Err(e) = card::card_svg(&text, &cards.style, fonts) {
            self.problems.push(card_problem(e, title, at));
            return;
        }
        let key = card::card_key(&text, &cards.style, fonts);
        let file = format!("{page}card.{:08x}.png", key as u32);
        cards.views.insert(
            page.to_string(),
            ShareView {
                url: self.index.urls.absolute(&file),
                width: Some(CARD_WIDTH),
                height: Some(CARD_HEIGHT),
                alt: title.to_string(),
            },
        );
        cards.plans.push(Plan {
            site_title: site.to_string(),
            title: title.to_string(),
            kicker: kicker.map(String::from),
            file,
            key,
        });
    }
}

/// The views of the questions and pages with an image of their own
/// (`image` in front-matter), which replace any drawn card.
fn own_images(index: &Index, media: &SiteMedia, cards: &mut Cards, problems: &mut Vec<Diagnostic>) {
    let own = index
        .questions
        .iter()
        .map(|q| (&q.path, &q.item.source, &q.item.title, &q.item.image))
        .chain(
            index
                .pages
                .iter()
                .map(|p| (&p.path, &p.item.source, &p.item.title, &p.item.image)),
        );
    for (page, source, title, image) in own {
        if let Some(image) = image {
            match own_image(index, media, source, image, title) {
                Ok(view) => {
                    cards.views.insert(page.clone(), view);
                }
                Err(d) => problems.push(d),
            }
        }
    }
}

/// A writer's own share image: its absolute URL and, for a file of the
/// site, its size.
fn own_image(
    index: &Index,
    media: &SiteMedia,
    source: &Source,
    image: &ShareImage,
    title: &str,
) -> Result<ShareView, Diagnostic> {
    use crate::markdown::Destination;
    let url = &image.url.value;
    let alt = image.alt.clone().unwrap_or_else(|| title.to_string());
    let path = match crate::markdown::destination(url) {
        Destination::Internal(dest) => index.target(dest).map(|t| t.path.clone()),
        Destination::Local(local) => index.local_path(&source.rel, local),
        Destination::Other => {
            return Ok(ShareView {
                url: url.clone(),
                width: None,
                height: None,
                alt,
            });
        }
    };
    let picture = path.as_deref().and_then(|p| Some((p, media.picture(p)?)));
    match picture {
        Some((path, picture)) => Ok(ShareView {
            url: index.urls.absolute_shared(path),
            width: picture.size.map(|s| s.0),
            height: picture.size.map(|s| s.1),
            alt,
        }),
        None => Err(Diagnostic::error(
            format!("the share image `{url}` is not an image file of the site"),
            source.span(image.url.range.clone()),
        )
        .with_label("no such image")
        .with_help("put the image beside the page (a bundle: content/faq/x/index.md with cover.png next to it) or under static/, or use an https:// address")),
    }
}

const CARD_FONT_HELP: &str = "name a font file that has these characters in `card_fonts` in site.toml (for Chinese, Japanese or Korean titles, e.g. a Noto Sans CJK file), or turn cards off with `share_cards = false`";

/// The text of `site.toml`, to point at a line of it.
fn site_text(root: &Path) -> Option<String> {
    std::fs::read_to_string(root.join("site.toml")).ok()
}

/// A card that cannot be drawn, as a diagnosis at the title.
fn card_problem(
    e: CardError,
    title: &str,
    at: Option<(&Source, std::ops::Range<usize>)>,
) -> Diagnostic {
    let help = CARD_FONT_HELP;
    match at {
        Some((source, range)) => Diagnostic::error(
            format!("the share card of this page cannot be drawn: {e}"),
            source.span(range),
        )
        .with_label("this title")
        .with_help(help),
        None => Diagnostic::error_in(
            format!("the share card titled “{title}” cannot be drawn: {e}"),
            Some(Path::new("site.toml").into()),
        )
        .with_help(help),
    }
}

/// What [`Cards::draw`] did.
#[derive(Debug, Default)]
pub struct Drawn {
    /// The PNGs to write.
    pub files: Vec<OutputFile>,
    /// Every card's path, written by this run or an earlier one.
    pub paths: Vec<String>,
    /// Cards read from the cache.
    pub cached: usize,
    /// Cards drawn.
    pub drawn: usize,
}

impl Cards {
    /// A key of every page's share image, for the chrome's key.
    pub fn key(&self) -> u64 {
        let mut views: Vec<_> = self.views.iter().collect();
        views.sort_unstable_by(|a, b| a.0.cmp(b.0));
        hash_of(&views)
    }

    /// Draws the cards not in `skip` (sent by an earlier run of `dossier
    /// serve`), from the cache when drawn before. Returns the files, every
    /// card's path, and how many were cached and drawn.
    pub fn draw(
        &self,
        cache: &ImageCache,
        skip: &std::collections::HashSet<String>,
    ) -> Result<Drawn, Diagnostic> {
        let Some(fonts) = &self.fonts else {
            return Ok(Drawn::default());
        };
        let drawn: Vec<Result<(OutputFile, bool), Diagnostic>> = self
            .plans
            .par_iter()
            .filter(|p| !skip.contains(&p.file))
            .map(|p| {
                if let Some(bytes) = cache.load(p.key, "card") {
                    return Ok((
                        OutputFile {
                            path: p.file.clone(),
                            bytes,
                        },
                        true,
                    ));
                }
                let text = CardText {
                    site_title: &p.site_title,
                    title: &p.title,
                    kicker: p.kicker.as_deref(),
                };
                let bytes = card::render_card(&text, &self.style, fonts)
                    .map_err(|e| card_problem(e, &p.title, None))?;
                // A cache that cannot be written only means drawing again.
                let _ = cache.store(p.key, "card", &bytes);
                Ok((
                    OutputFile {
                        path: p.file.clone(),
                        bytes,
                    },
                    false,
                ))
            })
            .collect();
        let mut files = Vec::with_capacity(drawn.len());
        let mut counts = (0, 0);
        for d in drawn {
            let (file, cached) = d?;
            if cached {
                counts.0 += 1;
            } else {
                counts.1 += 1;
            }
            files.push(file);
        }
        let paths = self.plans.iter().map(|p| p.file.clone()).collect();
        Ok(Drawn {
            files,
            paths,
            cached: counts.0,
            drawn: counts.1,
        })
    }
}
