//! The shared schemas of spec/, for the tests: what a host prints is checked
//! against the one definition the TypeScript driver validates it with, by a
//! full JSON Schema validator (the `jsonschema` crate), so any drift of the
//! Rust output from the spec fails here.

use std::sync::OnceLock;

use jsonschema::Validator;
use serde_json::Value;

/// A schema of spec/, compiled into the test binary: cargo rebuilds the tests
/// when it changes, and a test binary never looks for it in a checkout that
/// may be gone (the test target dir is shared by every clone).
fn load(name: &str, text: &str) -> Validator {
    let schema: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("spec/{name}.schema.json: {e}"));
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("spec/{name}.schema.json: {e}"))
}

fn errors(validator: &Validator, value: &Value) -> Vec<String> {
    validator.iter_errors(value).map(|e| format!("{e} at '{}'", e.instance_path())).collect()
}

fn record_schema() -> &'static Validator {
    static SCHEMA: OnceLock<Validator> = OnceLock::new();
    SCHEMA.get_or_init(|| load("host-record", include_str!("../../../spec/host-record.schema.json")))
}

fn info_schema() -> &'static Validator {
    static SCHEMA: OnceLock<Validator> = OnceLock::new();
    SCHEMA.get_or_init(|| load("host-info", include_str!("../../../spec/host-info.schema.json")))
}

/// Where `record` breaks spec/host-record.schema.json; empty if it fits.
pub fn record_errors(record: &Value) -> Vec<String> {
    errors(record_schema(), record)
}

/// Where `info` breaks spec/host-info.schema.json; empty if it fits.
pub fn info_errors(info: &Value) -> Vec<String> {
    errors(info_schema(), info)
}

/// `record` as JSON, after checking that it fits the record schema.
pub fn valid_record(record: &impl serde::Serialize) -> Value {
    let value = serde_json::to_value(record).unwrap();
    let errors = record_errors(&value);
    assert!(errors.is_empty(), "the record breaks spec/host-record.schema.json: {errors:?}\n{value}");
    value
}

/// `info`, after checking that it fits the info schema.
pub fn valid_info(info: Value) -> Value {
    let errors = info_errors(&info);
    assert!(errors.is_empty(), "info breaks spec/host-info.schema.json: {errors:?}\n{info}");
    info
}
