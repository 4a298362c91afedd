//! Regenerate-and-diff on a fixture crate: a header is generated, and a stale one is caught.

use std::path::{Path, PathBuf};

use pyaot_codegen::{Status, capi_crates, generate_header, header_path, status};

/// Copies the fixture to `<tmp>/libs/demo/capi`, so that it looks like one of our capi crates.
fn fixture_workspace(name: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("pyaot-codegen-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let capi = root.join("libs/demo/capi");
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixture");
    std::fs::create_dir_all(capi.join("src")).unwrap();
    for file in ["Cargo.toml", "cbindgen.toml", "src/lib.rs"] {
        std::fs::copy(from.join(file), capi.join(file)).unwrap();
    }
    std::fs::create_dir_all(root.join("libs/nocapi")).unwrap();
    root
}

#[test]
fn finds_capi_crates_and_names_their_headers() {
    let root = fixture_workspace("find");
    let crates = capi_crates(&root).unwrap();
    assert_eq!(crates, vec![root.join("libs/demo/capi")]);
    assert_eq!(header_path(&crates[0]), root.join("libs/demo/capi/include/pyaot_demo.h"));
}

#[test]
fn generates_a_header_and_catches_a_stale_one() {
    let root = fixture_workspace("generate");
    let generated = generate_header(&root.join("libs/demo/capi")).unwrap();
    assert!(generated.text.contains("#ifndef PYAOT_DEMO_H"), "{}", generated.text);
    assert!(generated.text.contains("int32_t pyaot_demo_add(int32_t a, int32_t b);"), "{}", generated.text);

    assert_eq!(status(&generated).unwrap(), Status::Missing);
    std::fs::create_dir_all(generated.path.parent().unwrap()).unwrap();
    std::fs::write(&generated.path, &generated.text).unwrap();
    assert_eq!(status(&generated).unwrap(), Status::Fresh);

    let edited = generated.text.replace("int32_t b", "int64_t b");
    std::fs::write(&generated.path, edited).unwrap();
    match status(&generated).unwrap() {
        Status::Stale { committed, generated, .. } => {
            assert!(committed.contains("int64_t b"));
            assert!(generated.contains("int32_t b"));
        }
        other => panic!("expected a stale header, got {other:?}"),
    }
}
