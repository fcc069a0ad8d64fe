//! The unit every stage after linking produces: one file of the output.

/// One file of the output, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path with `/` separators: `faq/x/index.html`.
    pub path: String,
    /// The bytes to write.
    pub bytes: Vec<u8>,
}
