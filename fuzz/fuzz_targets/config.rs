//! The config file reader: any text is read without a panic; a file that is not read has no
//! settings and one problem on one line; the settings read are those a file written from them
//! gives back; and choosing the settings reports exactly the values that mean nothing.

#![no_main]

use libfuzzer_sys::fuzz_target;
use peygir::config::{self, ConfigFile, ConfigProblem, Given};

/// A config file's text holding `file`'s settings, each as a TOML string.
fn written(file: &ConfigFile) -> String {
    let mut out = String::new();
    let settings = [
        ("db", &file.db),
        ("lang", &file.lang),
        ("calendar", &file.calendar),
        ("digits", &file.digits),
        ("bidi", &file.bidi),
    ];
    for (key, value) in settings {
        if let Some(value) = value {
            out.push_str(&format!("{key} = {}\n", toml::Value::String(value.clone())));
        }
    }
    out
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let (file, problem) = config::parse(text);
    match &problem {
        Some(ConfigProblem::File { reason, .. }) => {
            assert_eq!(file, ConfigFile::default(), "settings kept from a bad file");
            assert!(!reason.contains('\n'), "a reason of many lines: {reason:?}");
            return;
        }
        Some(other) => panic!("a file problem expected, found {other:?}"),
        None => {}
    }

    let again = written(&file);
    assert_eq!(config::parse(&again), (file.clone(), None), "{again}");

    let (_, problems) = config::choose_settings(Given::default(), &file, |_| None);
    let meaningless = [
        (&file.lang, ["en", "fa"]),
        (&file.calendar, ["gregorian", "jalali"]),
        (&file.digits, ["latin", "persian"]),
        (&file.bidi, ["terminal", "app"]),
    ]
    .iter()
    .filter(|(value, _)| value.is_some())
    .count();
    assert!(problems.len() <= meaningless, "{problems:?}");
    for problem in &problems {
        assert!(
            matches!(problem, ConfigProblem::Value { .. }),
            "{problem:?}"
        );
        // Shown to people, a problem is one line.
        assert!(!problem.to_string().contains('\n'), "{problem}");
    }
});
