//! The `dossier` command line: parses arguments, runs one command, and
//! decides the exit code (0 ok, 1 content or template errors, 2 usage).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{CommandFactory, Parser, Subcommand};
use dossier::progress::ProgressMode;
use dossier::settings::Settings;
use dossier::{BuildError, scaffold};

/// A static-site generator for explainer microsites.
#[derive(Parser)]
#[command(version = env!("DOSSIER_VERSION"), about)]
struct Cli {
    /// Show no progress bar or progress line.
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build {
        /// The site's folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site (default: ROOT/public).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Publish under this URL instead of site.toml's base_url.
        #[arg(long)]
        base_url: Option<String>,
        /// Include pages with `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
    },
    /// Build, serve on 127.0.0.1, rebuild on every edit and reload the browser.
    Serve {
        /// The site's folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port to listen on (the next free one is used if it is taken; 0 for any).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on. Anything but loopback makes the preview
        /// reachable from other machines.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Include pages with `draft = true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Write a new content file with valid front-matter.
    New {
        /// question, event, term or page.
        kind: NewKind,
        /// The question, event title or term; the file name is made from it.
        title: String,
        /// The site's folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Create a new site in DIR with example content and editable templates.
    Init {
        /// Folder to create (must not exist, or be empty).
        dir: PathBuf,
    },
    /// Build in memory and verify every internal link and anchor.
    Check {
        /// The site's folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Include pages with `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// Also fetch every external http(s) link of the site (links that
        /// worked are cached in ROOT/.dossier-cache/).
        #[arg(long)]
        external: bool,
        /// Seconds to wait for each external request (connecting and answering).
        #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = seconds, requires = "external")]
        timeout: Duration,
        /// Hours an external link that worked is trusted without asking
        /// again; 0 turns the cache off.
        #[arg(long, value_name = "N", default_value_t = 24, requires = "external")]
        cache_hours: u64,
    },
    /// Print a shell completion script to stdout.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) to stdout: dossier(1), or with a command
    /// name that command's page, dossier-build(1) and so on.
    Man {
        /// The command whose page to print.
        command: Option<String>,
    },
}

/// What `dossier new` creates.
#[derive(Clone, Copy, clap::ValueEnum)]
enum NewKind {
    /// A question in content/faq/.
    Question,
    /// A dated event in content/timeline/.
    Event,
    /// A glossary term in content/glossary/.
    Term,
    /// A standalone page ("About", "Methodology") in content/, with a
    /// menu entry.
    Page,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let styled = std::io::stderr().is_terminal();
    match cli.command {
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "dossier",
                &mut std::io::stdout(),
            );
            ExitCode::SUCCESS
        }
        Command::Man { command } => man_page(command.as_deref()),
        Command::Serve {
            root,
            port,
            bind,
            open,
            drafts,
        } => serve(root, port, bind, open, drafts),
        Command::New { kind, title, root } => new(kind, &title, &root),
        Command::Init { dir } => init(&dir),
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            strict,
        } => build(root, output, base_url, drafts, strict, cli.quiet, styled),
        Command::Check {
            root,
            drafts,
            strict,
            external,
            timeout,
            cache_hours,
        } => {
            let settings = match settings(root, None, drafts, strict) {
                Ok(s) => s,
                Err(code) => return code,
            };
            let external = external.then(|| dossier::external::ExternalOptions {
                timeout,
                cache_hours,
                strict,
                progress: ProgressMode::for_stderr(cli.quiet),
                ..dossier::external::ExternalOptions::default()
            });
            let progress = ProgressMode::for_stderr(cli.quiet).summarised();
            check(&settings, progress, external.as_ref(), styled)
        }
    }
}

/// `dossier serve`.
fn serve(root: PathBuf, port: u16, bind: std::net::IpAddr, open: bool, drafts: bool) -> ExitCode {
    let root = std::fs::canonicalize(&root).unwrap_or(root);
    let settings = match settings(root, None, drafts, false) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let options = dossier::serve::ServeOptions {
        settings,
        bind,
        port,
        open,
    };
    match dossier::serve::serve(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// `dossier new KIND "Title"`.
fn new(kind: NewKind, title: &str, root: &Path) -> ExitCode {
    let kind = match kind {
        NewKind::Question => scaffold::Kind::Question,
        NewKind::Event => scaffold::Kind::Event,
        NewKind::Term => scaffold::Kind::Term,
        NewKind::Page => scaffold::Kind::Page,
    };
    let today = match dossier::settings::today() {
        Ok(d) => d.to_string(),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match scaffold::new_content(root, kind, title, &today) {
        Ok(path) => {
            println!("{}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// `dossier init DIR`.
fn init(dir: &Path) -> ExitCode {
    match scaffold::init(dir) {
        Ok(files) => {
            eprintln!(
                "created a new site in {dir} ({} files); preview it with `dossier serve --root {dir}` (or `cd {dir} && dossier serve`)",
                files.len(),
                dir = dir.display(),
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// `dossier build`.
fn build(
    root: PathBuf,
    output: Option<PathBuf>,
    base_url: Option<String>,
    drafts: bool,
    strict: bool,
    quiet: bool,
    styled: bool,
) -> ExitCode {
    let output = output.unwrap_or_else(|| root.join("public"));
    let settings = match settings(root, base_url, drafts, strict) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let _ = ctrlc::set_handler(dossier::write::cancel);
    let start = Instant::now();
    let progress = ProgressMode::for_stderr(quiet).summarised();
    match dossier::build(&settings, &output, progress) {
        Ok(report) => {
            eprint!("{}", report.warnings.render(styled));
            print_timings(&report);
            let (cached, made) = report.image_copies;
            if cached + made > 0 {
                eprintln!("image copies: {made} made, {cached} from the cache");
            }
            let (cached, drawn) = report.cards;
            if cached + drawn > 0 {
                eprintln!("share cards: {drawn} drawn, {cached} from the cache");
            }
            eprintln!(
                "built {} questions, {} events, {} terms, {} pages: {} files in {} ms -> {}",
                report.questions,
                report.events,
                report.terms,
                report.pages,
                report.written,
                start.elapsed().as_millis(),
                output.display()
            );
            ExitCode::SUCCESS
        }
        Err(BuildError::Site(problems)) => {
            eprint!("{}", problems.render(styled));
            eprintln!(
                "build failed with {} error(s); {} was left as it was",
                problems.error_count(),
                output.display()
            );
            ExitCode::from(1)
        }
        Err(BuildError::Write(dossier::write::WriteError::Cancelled)) => {
            eprintln!("interrupted; {} was left as it was", output.display());
            ExitCode::from(130)
        }
        Err(BuildError::Write(e)) => {
            eprintln!("error: {e}");
            eprintln!("the previous output, if any, was left as it was");
            ExitCode::from(1)
        }
    }
}

/// `dossier check`: internal links always, external ones when asked.
fn check(
    settings: &Settings,
    progress: ProgressMode,
    external: Option<&dossier::external::ExternalOptions>,
    styled: bool,
) -> ExitCode {
    let checked = match dossier::check(settings, progress) {
        Ok(checked) => checked,
        Err(problems) => {
            eprint!("{}", problems.render(styled));
            eprintln!("check failed with {} error(s)", problems.error_count());
            return ExitCode::from(1);
        }
    };
    eprint!("{}", checked.report.warnings.render(styled));
    for b in &checked.broken {
        eprintln!("error: {b}");
    }
    let mut failures = checked.broken.len();
    let mut passed = format!(
        "check passed: {} files, every internal link and anchor resolves and no id repeats on a page",
        checked.report.paths.len()
    );
    if let Some(external) = external {
        let report = dossier::external::check_external(
            &settings.root,
            &checked.files,
            &checked.base_url,
            external,
        );
        eprint!("{}", report.diagnostics.render(styled));
        eprintln!(
            "external links: {} checked ({} cached): {} broken, {} moved permanently",
            report.links, report.cached, report.broken, report.moved
        );
        failures += report.diagnostics.error_count();
        passed.push_str(", every external link answers");
    }
    if failures == 0 {
        eprintln!("{passed}");
        ExitCode::SUCCESS
    } else {
        eprintln!("check failed: {failures} broken link(s)");
        ExitCode::from(1)
    }
}

/// A positive number of seconds, such as `10` or `0.5`.
fn seconds(text: &str) -> Result<Duration, String> {
    let value: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if value <= 0.0 {
        return Err("the timeout must be more than 0 seconds".to_string());
    }
    Duration::try_from_secs_f64(value).map_err(|e| format!("`{text}`: {e}"))
}

/// Prints the manual page of dossier, or of one of its commands, as roff.
fn man_page(command: Option<&str>) -> ExitCode {
    let mut cli = Cli::command().disable_help_subcommand(true);
    // Building names the subcommands `dossier-build` and so on, as the
    // top page's list of commands refers to them.
    cli.build();
    let page = match command {
        None => cli,
        Some(name) => match cli.find_subcommand(name) {
            Some(sub) => sub.clone().version(env!("DOSSIER_VERSION")),
            None => {
                let names: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
                eprintln!(
                    "error: no command `{name}`; the commands are: {}",
                    names.join(", ")
                );
                return ExitCode::from(2);
            }
        },
    };
    match clap_mangen::Man::new(page).render(&mut std::io::stdout()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write the manual page: {e}");
            ExitCode::from(1)
        }
    }
}

/// The build settings from the command line, "today" from the
/// environment; a bad `SOURCE_DATE_EPOCH` is a usage error.
fn settings(
    root: PathBuf,
    base_url: Option<String>,
    drafts: bool,
    strict: bool,
) -> Result<Settings, ExitCode> {
    let mut settings = Settings::new(root).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })?;
    settings.base_url = base_url;
    settings.drafts = drafts;
    settings.strict = strict;
    Ok(settings)
}

/// With `DOSSIER_TIMINGS=1`, the time each stage took.
fn print_timings(report: &dossier::pipeline::Report) {
    if std::env::var_os("DOSSIER_TIMINGS").is_some() {
        for (stage, ms) in &report.timings {
            eprintln!("  {stage:<24} {ms:>9.1} ms");
        }
    }
}

/// mimalloc: builds allocate many small strings on two or more threads;
/// measured on the 10,000-question benchmark, 15% less wall time than the
/// system allocator, for about 60 MB more peak memory.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
