//! `404.html`, which hosts serve at any address (its links are
//! root-relative).

use super::{Lists, Meta, Page};
use crate::urls::paths;

pub(crate) fn page<'a>(lists: &'a Lists<'a>) -> Page<()> {
    Page {
        path: paths::NOT_FOUND.to_string(),
        template: "404.html",
        meta: Meta::simple(lists.index, lists.index.t("page_not_found"), None),
        view: (),
    }
}
