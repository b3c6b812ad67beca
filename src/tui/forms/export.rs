//! The form that asks where to write what a pane shows, as xlsx or CSV (the file's extension
//! says which), used by every pane that exports: the file in the user's home folder is offered,
//! and a name without `.xlsx` or `.csv` is refused beside the field.

use std::path::PathBuf;

use crate::error::{Error, FieldError, Result};
use crate::exchange::Format;
use crate::report::Table;
use crate::t;
use crate::tui::text::{clean, group_thousands};
use crate::tui::widgets::form::{FieldKind, Form, Values};

/// The form's one field.
const FILE: &str = "file";

/// The export form titled `title`, offering `name` (`peygir-contacts-2026-12-07.xlsx`) in the
/// user's home folder.
pub fn form(title: String, name: &str) -> Form {
    let home = directories::UserDirs::new()
        .map(|d| d.home_dir().to_path_buf())
        .unwrap_or_default();
    let mut form = Form::new(title).field(FILE, t!("field.file"), FieldKind::Text, true);
    form.set_value(FILE, &home.join(name).display().to_string());
    form
}

/// `text` as part of a file name: letters and digits kept, anything else a `-`.
pub fn file_part(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect()
}

/// A refusal shown beside the form's field.
pub fn refused(reason: String) -> Error {
    Error::Invalid(vec![FieldError::new(FILE, reason)])
}

/// The file the saved form names, and the format its extension says.
pub fn target(values: Values) -> Result<(PathBuf, Format)> {
    let path = PathBuf::from(values.text(FILE).unwrap_or_default());
    let format =
        Format::from_path(&path).ok_or_else(|| refused(t!("contacts.export.extension")))?;
    Ok((path, format))
}

/// Writes `table` where the saved form says; what to tell the user.
pub fn write_table(table: &Table, values: Values) -> Result<String> {
    let (path, format) = target(values)?;
    let rows = table
        .write(&path, format)
        .map_err(|e| refused(e.to_string()))?;
    Ok(t!(
        "plans.exported",
        count = group_thousands(i64::try_from(rows).unwrap_or(i64::MAX)),
        file = clean(&path.display().to_string())
    ))
}
