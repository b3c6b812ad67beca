//! The keymap file reader and key names: any text is read without a panic, every problem names a
//! line of the file, a key or sequence reads back from its own name as itself, and a user's
//! keymap merged over the defaults is written out as a file that reads back, without a problem,
//! as the same keymap.

#![no_main]

use libfuzzer_sys::fuzz_target;
use peygir::tui::keymap::{self, Key, Keymap};

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };

    let (user, problems) = keymap::parse(text, "keymap.toml");
    let lines = text.matches('\n').count() + 1;
    for problem in &problems {
        assert!(
            (1..=lines).contains(&problem.line),
            "{problem} is past the last line {lines}"
        );
    }

    for line in text.lines() {
        if let Some(key) = Key::parse(line) {
            assert_eq!(Key::parse(&key.to_string()), Some(key), "key {line:?}");
        }
        if let Some(sequence) = keymap::parse_sequence(line) {
            let written = keymap::sequence_text(&sequence);
            assert_eq!(
                keymap::parse_sequence(&written),
                Some(sequence),
                "sequence {line:?} written {written:?}"
            );
        }
    }

    let mut merged = Keymap::defaults();
    merged.merge(user);
    let written = merged.to_toml();
    let (again, problems) = keymap::parse(&written, "written.toml");
    assert!(
        problems.is_empty(),
        "the written keymap has problems: {problems:?}\n{written}"
    );
    let mut reread = Keymap::defaults();
    reread.merge(again);
    assert_eq!(
        reread.to_toml(),
        written,
        "the written keymap reads back otherwise"
    );
});
