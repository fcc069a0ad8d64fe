//! The images of bodies as a page writes them: the URL of the site's
//! image file from that page, its size and the `srcset` of its narrower
//! copies. Apart from `render.rs` because it is the one part of rendering
//! that reads the site's media rather than the index.

use super::render::Renderer;

impl Renderer<'_> {
    /// An image written as `url` in the document at content path `rel`, as
    /// the page at `page` writes it: its URL, size and narrower copies.
    /// `None` for an address that is not one of the site's image files.
    pub(super) fn image(
        &self,
        rel: &str,
        page: &str,
        url: &str,
    ) -> Option<crate::figure::ImageHtml> {
        use crate::markdown::Destination;
        let index = self.index;
        let path = match crate::markdown::destination(url) {
            Destination::Internal(dest) => index.target(dest)?.path.clone(),
            Destination::Local(local) => index.local_path(rel, local)?,
            Destination::Other => return None,
        };
        let picture = self.media.picture(&path)?;
        let src = index.urls.shared_from(page, &path);
        let srcset = (!picture.variants.is_empty()).then(|| {
            let mut set = crate::media::image::srcset(&picture.variants, |(p, v)| {
                (index.urls.shared_from(page, p), v.width)
            });
            if let Some((w, _)) = picture.size {
                set.push_str(&format!(", {src} {w}w"));
            }
            set
        });
        Some(crate::figure::ImageHtml {
            src,
            size: picture.size,
            srcset,
        })
    }
}
