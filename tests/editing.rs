//! From a page to its source file: `edit_url` links in built pages, and
//! "Open in editor" in `dossier serve` (token, Origin, loopback, folders,
//! the editor started with the file).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::server::Server;
use common::{copy_site, dossier, fixture, read};

const EDIT_URL: &str = "https://git.example/org/repo/edit/main/site/{path}";

/// The basic site with `edit_url` set (or not), a standalone page and a
/// timeline introduction.
fn site(edit_url: Option<&str>) -> tempfile::TempDir {
    let site = copy_site(&fixture("basic"));
    let root = site.path();
    if let Some(url) = edit_url {
        set_edit_url(root, url);
    }
    dossier(root, &["new", "page", "About us"]).success();
    std::fs::write(
        root.join("content/timeline/_index.md"),
        "+++\ntitle = \"When\"\n+++\n\nThe events, in order.\n",
    )
    .unwrap();
    site
}

/// Adds `edit_url = "url"` as the last line of the site's settings.
fn set_edit_url(root: &Path, url: &str) {
    let settings = read(root, "site.toml");
    let settings = settings.trim_end();
    std::fs::write(
        root.join("site.toml"),
        format!("{settings}\nedit_url = \"{url}\"\n"),
    )
    .unwrap();
}

fn build(root: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    dossier(root, &["build", "--output", target.to_str().unwrap()]).success();
    out
}

/// Every `href` of an "Edit" link on a page.
fn edit_links(html: &str) -> Vec<String> {
    html.split("<p class=\"edit-link\"><a href=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().replace("&#x2F;", "/"))
        .collect()
}

#[test]
fn edit_links_lead_to_each_source_file() {
    let site = site(Some(EDIT_URL));
    let out = build(site.path());
    let public = out.path().join("public");
    let edit = |path: &str| EDIT_URL.replace("{path}", path);

    let question = read(&public, "faq/first/index.html");
    assert_eq!(edit_links(&question), [edit("content/faq/first.md")]);
    assert!(question.contains(">Edit this page</a>"), "{question}");

    let page = read(&public, "about-us/index.html");
    assert_eq!(edit_links(&page), [edit("content/about-us.md")]);

    // The timeline: its introduction's file, then one link per event.
    let timeline = read(&public, "timeline/index.html");
    assert_eq!(
        edit_links(&timeline),
        [
            edit("content/timeline/_index.md"),
            edit("content/timeline/early.md"),
            edit("content/timeline/month.md"),
            edit("content/timeline/late.md"),
        ]
    );
    assert!(
        timeline.contains("Edit this event<span class=\"visually-hidden\">: Early event</span>"),
        "each event's link names it for screen readers"
    );

    // The glossary has no introduction here: one link per term only.
    let glossary = read(&public, "glossary/index.html");
    let links = edit_links(&glossary);
    assert_eq!(links.len(), 2, "{links:?}");
    assert!(
        links.contains(&edit("content/glossary/zeta.md")),
        "{links:?}"
    );
    assert!(
        links.contains(&edit("content/glossary/alpha-term.md")),
        "{links:?}"
    );

    // Pages made from no single file have none.
    for generated in ["tags/index.html", "404.html"] {
        assert!(
            edit_links(&read(&public, generated)).is_empty(),
            "{generated}"
        );
    }
}

#[test]
fn edit_links_encode_file_names_that_need_it() {
    let site = site(Some("https://git.example/edit/{path}?plain=1"));
    std::fs::write(
        site.path().join("content/faq/中文 q.md"),
        "+++\ntitle = \"Encoded?\"\nslug = \"encoded\"\n+++\n\nAn answer.\n",
    )
    .unwrap();
    let out = build(site.path());
    let page = read(&out.path().join("public"), "faq/encoded/index.html");
    assert_eq!(
        edit_links(&page),
        ["https://git.example/edit/content/faq/%E4%B8%AD%E6%96%87%20q.md?plain=1"]
    );
}

#[test]
fn without_edit_url_no_page_has_an_edit_link() {
    let site = site(None);
    let out = build(site.path());
    for entry in walkdir::WalkDir::new(out.path()) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(entry.path()).unwrap();
            assert!(
                !html.contains("edit-link") && !html.contains("Edit this"),
                "{}",
                entry.path().display()
            );
        }
    }
}

#[test]
fn an_invalid_edit_url_fails_at_its_line_with_a_fix() {
    for (value, message) in [
        (
            "git@github.com:org/repo.git",
            "`edit_url` must be an http(s) address, not `git@github.com:org/repo.git`",
        ),
        (
            "ftp://host/{path}",
            "`edit_url` must be an http(s) address, not `ftp://host/{path}`",
        ),
        (
            "https://github.com/org/repo/edit/main/",
            "`edit_url` has no `{path}`, so every page would link to the same address",
        ),
    ] {
        let site = copy_site(&fixture("basic"));
        set_edit_url(site.path(), value);
        let output = dossier(site.path(), &["build"])
            .code(1)
            .get_output()
            .clone();
        let err = String::from_utf8(output.stderr).unwrap();
        assert!(err.contains(&format!("error: {message}")), "{err}");
        assert!(err.contains("--> site.toml:3:1"), "{err}");
        assert!(
            err.contains(
                "help: for example `edit_url = \"https://github.com/OWNER/REPO/edit/main/{path}\"`"
            ),
            "{err}"
        );
    }
}

/// A stub editor: a script (with a space in its name, to be quoted in
/// `VISUAL`) that writes each argument it gets on a line of `record`.
fn stub_editor(dir: &Path, record: &Path) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let script = dir.join("stub editor.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > '{0}.part'\nmv '{0}.part' '{0}'\n",
            record.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

/// The session token written into a served page.
fn token(page: &str) -> String {
    page.split("data-token=\"")
        .nth(1)
        .expect("no token in the served page")
        .split('"')
        .next()
        .unwrap()
        .to_string()
}

/// POSTs to the open endpoint with the given file, token and Origin.
fn open(server: &Server, file: &str, token: Option<&str>, origin: Option<&str>) -> u16 {
    let mut request = format!(
        "POST /__dossier/open?file={file} HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n",
        server.host
    );
    if let Some(token) = token {
        request.push_str(&format!("X-Dossier-Token: {token}\r\n"));
    }
    if let Some(origin) = origin {
        request.push_str(&format!("Origin: {origin}\r\n"));
    }
    request.push_str("\r\n");
    server.raw(request.as_bytes()).0
}

#[test]
fn open_in_editor_needs_the_token_and_the_servers_own_origin() {
    let site = site(Some(EDIT_URL));
    std::fs::write(site.path().join("secret.txt"), "secret").unwrap();
    let tools = tempfile::tempdir().unwrap();
    let record = tools.path().join("args.txt");
    let script = stub_editor(tools.path(), &record);
    let visual = format!("'{}' --wait", script.display());
    let server = Server::start_env(
        site.path(),
        &[],
        &[("VISUAL", &visual), ("EDITOR", "/bin/false")],
    );

    let (status, page) = server.get("/faq/first/");
    assert_eq!(status, 200);
    let page = String::from_utf8(page).unwrap();
    let token = token(&page);
    assert_eq!(token.len(), 32, "{token}");
    assert!(
        page.contains("data-file=\"content/faq/first.md\""),
        "the page's control names its file"
    );
    let timeline = String::from_utf8(server.get("/timeline/").1).unwrap();
    assert!(
        timeline.contains("data-file=\"content/timeline/_index.md\""),
        "the timeline's control opens its introduction"
    );
    assert!(
        timeline.contains("&quot;early&quot;,&quot;content/timeline/early.md&quot;"),
        "and each event gets its own: {timeline}"
    );

    let own = format!("http://{}", server.host);
    let file = "content%2Ffaq%2Ffirst.md";
    assert_eq!(open(&server, file, None, Some(&own)), 403, "no token");
    assert_eq!(
        open(
            &server,
            file,
            Some("0123456789abcdef0123456789abcdef"),
            Some(&own)
        ),
        403,
        "a wrong token"
    );
    assert_eq!(
        open(&server, file, Some(&token[..31]), Some(&own)),
        403,
        "part of the token"
    );
    assert_eq!(open(&server, file, Some(&token), None), 403, "no Origin");
    assert_eq!(
        open(&server, file, Some(&token), Some("http://evil.example")),
        403,
        "another site's page"
    );
    let port = server.host.rsplit(':').next().unwrap();
    assert_eq!(
        open(
            &server,
            file,
            Some(&token),
            Some(&format!("http://localhost:{port}"))
        ),
        403,
        "another origin of this server is another origin"
    );
    for outside in [
        "secret.txt",
        "..%2F..%2Fetc%2Fpasswd",
        "%2Fetc%2Fpasswd",
        "content%2F..%2Fsecret.txt",
        "static%2Fnone.css",
    ] {
        assert_eq!(
            open(&server, outside, Some(&token), Some(&own)),
            403,
            "{outside}"
        );
    }
    assert_eq!(
        open(&server, "content%2Fnone.md", Some(&token), Some(&own)),
        404
    );
    assert!(!record.exists(), "nothing was opened so far");

    assert_eq!(open(&server, file, Some(&token), Some(&own)), 204);
    let deadline = Instant::now() + Duration::from_secs(20);
    while !record.exists() {
        assert!(Instant::now() < deadline, "the editor was not started");
        std::thread::sleep(Duration::from_millis(50));
    }
    let args: Vec<String> = std::fs::read_to_string(&record)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    let source = std::fs::canonicalize(site.path().join("content/faq/first.md")).unwrap();
    assert_eq!(
        args,
        ["--wait".to_string(), source.display().to_string()],
        "$VISUAL's own arguments, then the file"
    );
    assert_eq!(server.get("/").0, 200, "the server goes on");
}

#[test]
fn the_error_overlay_opens_the_first_errors_file() {
    let site = copy_site(&fixture("basic"));
    let server = Server::start_env(site.path(), &[], &[("VISUAL", "/bin/true")]);
    let events = server.events();
    let file = site.path().join("content/faq/second.md");
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, good.replace("title =", "titel =")).unwrap();
    common::server::wait_reload(&events);
    let page = String::from_utf8(server.get("/faq/first/").1).unwrap();
    assert!(page.contains("id=\"dossier-error\""), "{page}");
    assert!(
        page.contains(">Open content/faq/second.md in editor</button>"),
        "{page}"
    );
    let token = token(&page);
    let own = format!("http://{}", server.host);
    assert_eq!(
        open(&server, "content/faq/second.md", Some(&token), Some(&own)),
        204
    );
}

#[test]
fn built_pages_carry_no_token_and_no_editor_control() {
    let site = site(Some(EDIT_URL));
    let out = build(site.path());
    for entry in walkdir::WalkDir::new(out.path()) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            for marker in [
                "data-token",
                "dossier-open",
                "__dossier",
                "Open in editor",
                "X-Dossier-Token",
            ] {
                assert!(
                    !text.contains(marker),
                    "{marker} in {}",
                    entry.path().display()
                );
            }
        }
    }
}

/// [`site`] with a Chinese translation of a question, an event, a term
/// and the timeline's introduction.
fn translated_site() -> tempfile::TempDir {
    let site = site(Some(EDIT_URL));
    let root = site.path();
    let settings = read(root, "site.toml");
    std::fs::write(
        root.join("site.toml"),
        format!("{settings}\n[languages.zh]\nlanguage = \"zh-Hans\"\ntitle = \"样例\"\n"),
    )
    .unwrap();
    for (path, text) in [
        (
            "content/faq/first.zh.md",
            "+++\ntitle = \"先有什么？\"\n\n[[sources]]\ntitle = \"一篇报道\"\n+++\n\n第一个回答。\n\n## 背景 {#background}\n\n很多。\n",
        ),
        (
            "content/timeline/early.zh.md",
            "+++\ntitle = \"早期事件\"\n+++\n\n只有年份。\n",
        ),
        (
            "content/glossary/zeta.zh.md",
            "+++\nterm = \"泽塔\"\n+++\n\n最后一个字母。\n",
        ),
        (
            "content/timeline/_index.zh.md",
            "+++\ntitle = \"何时\"\n+++\n\n按时间排列的事件。\n",
        ),
    ] {
        std::fs::write(root.join(path), text).unwrap();
    }
    site
}

#[test]
fn a_translation_links_to_its_own_file_in_its_own_words() {
    let site = translated_site();
    let out = build(site.path());
    let public = out.path().join("public");
    let edit = |path: &str| EDIT_URL.replace("{path}", path);

    let zh = read(&public, "zh/faq/first/index.html");
    assert_eq!(edit_links(&zh), [edit("content/faq/first.zh.md")]);
    assert!(zh.contains(">编辑此页</a>"), "{zh}");
    assert!(!zh.contains("Edit this"), "{zh}");
    let en = read(&public, "faq/first/index.html");
    assert_eq!(edit_links(&en), [edit("content/faq/first.md")]);
    assert!(en.contains(">Edit this page</a>"), "{en}");

    let timeline = read(&public, "zh/timeline/index.html");
    assert_eq!(
        edit_links(&timeline),
        [
            edit("content/timeline/_index.zh.md"),
            edit("content/timeline/early.zh.md"),
        ]
    );
    assert!(timeline.contains(">编辑此事件<span"), "{timeline}");
    let glossary = read(&public, "zh/glossary/index.html");
    assert_eq!(edit_links(&glossary), [edit("content/glossary/zeta.zh.md")]);
    assert!(glossary.contains(">编辑此术语<span"), "{glossary}");
}

#[test]
fn open_in_editor_on_a_translated_page_opens_the_translation() {
    let site = translated_site();
    let tools = tempfile::tempdir().unwrap();
    let record = tools.path().join("args.txt");
    let script = stub_editor(tools.path(), &record);
    let visual = format!("'{}'", script.display());
    let server = Server::start_env(site.path(), &[], &[("VISUAL", &visual)]);

    let page = String::from_utf8(server.get("/zh/faq/first/").1).unwrap();
    assert!(
        page.contains("data-file=\"content/faq/first.zh.md\"")
            && page.contains(">在编辑器中打开</button>"),
        "{page}"
    );
    assert!(page.contains("data-label=\"在编辑器中打开\""), "{page}");
    let timeline = String::from_utf8(server.get("/zh/timeline/").1).unwrap();
    assert!(
        timeline.contains("data-file=\"content/timeline/_index.zh.md\""),
        "{timeline}"
    );
    assert!(
        timeline.contains("&quot;early&quot;,&quot;content/timeline/early.zh.md&quot;"),
        "{timeline}"
    );
    let english = String::from_utf8(server.get("/faq/first/").1).unwrap();
    assert!(
        english.contains("data-file=\"content/faq/first.md\"")
            && english.contains(">Open in editor</button>"),
        "{english}"
    );

    let own = format!("http://{}", server.host);
    assert_eq!(
        open(
            &server,
            "content%2Ffaq%2Ffirst.zh.md",
            Some(&token(&page)),
            Some(&own)
        ),
        204
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while !record.exists() {
        assert!(Instant::now() < deadline, "the editor was not started");
        std::thread::sleep(Duration::from_millis(50));
    }
    let source = std::fs::canonicalize(site.path().join("content/faq/first.zh.md")).unwrap();
    assert_eq!(
        std::fs::read_to_string(&record).unwrap().trim_end(),
        source.display().to_string()
    );
}
